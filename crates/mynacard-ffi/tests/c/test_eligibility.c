/* Eligibility files through the C ABI: a result file (UTF-8 and Shift_JIS) whose
 * JSON is byte for byte the golden file Rust and Python compare with too (with
 * each record's derived effective 負担割合, 検証番号 status, summary and labels),
 * the terminal's JSON answer, the partial mode with per-record errors, a view
 * file detected by its content, a request built from JSON and read back, and
 * malformed input. */
#include "check.h"

/* Reads root/rel, or NULL when it is absent (../shared may be). */
static unsigned char *read_optional(const char *root, const char *rel, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fclose(f);
  return read_file(root, rel, len);
}

static char *parse(const char *root, const char *rel, const char *kind) {
  size_t len = 0;
  unsigned char *xml = read_file(root, rel, &len);
  char *json = NULL;
  CHECK_OK(mynacard_eligibility_parse(xml, len, kind, &json));
  free(xml);
  return json;
}

int main(int argc, char **argv) {
  const char *root = repo_root(argc, argv);

  char *utf8 = parse(root, "tests/data/eligibility/full_utf8.xml", NULL);
  CHECK(strstr(utf8, "\"kind\":\"result\"") != NULL);
  CHECK(strstr(utf8, "1310012345") != NULL);
  save_json(argc, argv, "result", "eligibility", utf8);
  char *sjis = parse(root, "tests/data/eligibility/full_sjis.xml", "result");
  CHECK(strstr(sjis, "\"kind\":\"result\"") != NULL);

  /* The one JSON shape: the golden file, byte for byte (its trailing newline
   * aside). The record says 1割; its valid 高齢受給者証 says 2割, which applies. */
  size_t golden_len = 0;
  char *golden = (char *)read_file(root, "tests/data/eligibility/full_utf8.expected.json",
                                   &golden_len);
  while (golden_len > 0 && (golden[golden_len - 1] == '\n' || golden[golden_len - 1] == '\r'))
    golden_len--;
  CHECK(strlen(utf8) == golden_len && memcmp(utf8, golden, golden_len) == 0);
  free(golden);
  CHECK(strstr(utf8, "\"effective_burden\":{\"ratio\":{\"percent\":20},"
                     "\"rule\":\"elderly_recipient_certificate\",\"source\":"
                     "\"ElderlyRecipientCertificateInfo/ElderlyRecipientContributionRatio\"}") != NULL);
  CHECK(strstr(utf8, "\"check_digits\":{\"insurer_number\":\"valid\"") != NULL);
  CHECK(strstr(utf8, "負担割合 2割") != NULL);
  CHECK(strstr(utf8, "\"limit_application_certificate.category\":\"低所得Ⅰ\"") != NULL);
  CHECK_OK(mynacard_free(utf8));
  CHECK_OK(mynacard_free(sjis));

  /* The terminal's JSON answer (照会区分 2), the real public sample when
   * ../shared is there: read as a result, not refused as `eligibility.no_root`. */
  size_t answer_len = 0;
  unsigned char *answer = read_optional(
      root, "../shared/data/onshi-samples/hangilc-myclinic-ts_onshi-lib-properties-test_result.json",
      &answer_len);
  if (answer == NULL) {
    fprintf(stderr, "skipped: ../shared absent, the terminal's JSON sample not read\n");
  } else {
    char *parsed = NULL;
    CHECK_OK(mynacard_eligibility_parse(answer, answer_len, NULL, &parsed));
    CHECK(strstr(parsed, "\"reference_classification\":\"2\"") != NULL);
    CHECK(strstr(parsed, "\"limit_category\":\"A03 ウ\"") != NULL);
    CHECK_OK(mynacard_free(parsed));
    free(answer);
  }
  const char *broken_json = "{\"XmlMsg\": {\"MessageHeader\": ";
  char *none = NULL;
  CHECK_STATUS(mynacard_eligibility_parse((const uint8_t *)broken_json, strlen(broken_json),
                                          NULL, &none),
               MYNACARD_STATUS_MALFORMED);
  CHECK_CODE("eligibility.json");

  /* Partial mode: record 0's birth date does not exist; record 1 is kept and
   * record 0 is reported by element and position, never by value. */
  const char *two =
      "<XmlMsg><MessageHeader><MedicalInstitutionCode>0110012345</MedicalInstitutionCode>"
      "<SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody><ResultList>"
      "<ResultOfQualificationConfirmation><Name>甲</Name><Birthdate>19900231</Birthdate>"
      "</ResultOfQualificationConfirmation><ResultOfQualificationConfirmation><Name>乙</Name>"
      "<Birthdate>19900201</Birthdate></ResultOfQualificationConfirmation></ResultList>"
      "</MessageBody></XmlMsg>";
  CHECK_STATUS(mynacard_eligibility_parse((const uint8_t *)two, strlen(two), NULL, &none),
               MYNACARD_STATUS_MALFORMED);
  CHECK_CODE("eligibility.invalid_value");
  char *partial = NULL;
  CHECK_OK(mynacard_eligibility_parse_partial((const uint8_t *)two, strlen(two), &partial));
  CHECK(strstr(partial, "\"record_errors\":[{\"list\":\"results\",\"record\":0,") != NULL);
  CHECK(strstr(partial, "\"element\":\"Birthdate\",\"code\":\"eligibility.invalid_value\"") != NULL);
  CHECK(strstr(partial, "乙") != NULL && strstr(partial, "甲") == NULL);
  CHECK(strstr(partial, "19900231") == NULL);
  CHECK_OK(mynacard_free(partial));

  char *medication = parse(root, "tests/data/eligibility/medication.xml", "auto");
  CHECK(strstr(medication, "\"kind\":\"medication\"") != NULL);
  save_json(argc, argv, "medication", "eligibility", medication);
  CHECK_OK(mynacard_free(medication));

  /* A request: parse the sample, rebuild it from the "file" JSON, parse again. */
  char *request = parse(root, "tests/data/eligibility/request_identifiers.xml", NULL);
  CHECK(strstr(request, "\"kind\":\"request\"") != NULL);
  const char *file = strstr(request, "\"file\":");
  CHECK(file != NULL);
  file += strlen("\"file\":");
  size_t file_len = strlen(file);
  char *file_json = malloc(file_len + 1);
  CHECK(file_json != NULL);
  memcpy(file_json, file, file_len + 1);
  file_json[strlen(file_json) - 1] = '\0'; /* drop the outer object's '}' */
  unsigned char *xml = NULL;
  size_t xml_len = 0;
  CHECK_OK(mynacard_eligibility_build_request(file_json, "utf-8", &xml, &xml_len));
  CHECK(xml_len > 0 && strstr((const char *)xml, "<XmlMsg>") != NULL);
  char *again = NULL;
  CHECK_OK(mynacard_eligibility_parse(xml, xml_len, "request", &again));
  CHECK(strcmp(again, request) == 0);
  CHECK_OK(mynacard_free(again));
  CHECK_OK(mynacard_free(xml));

  /* The birth date and the 保険者番号 as JSON numbers: the error names the
   * field and the position, never the value (serde's own message would quote
   * `19900401`). */
  const char *values[] = {"\"1990-04-01\"", "\"01130012\""};
  const char *bare[] = {"19900401", "1130012"};
  for (size_t i = 0; i < 2; i++) {
    char *at = strstr(file_json, values[i]);
    CHECK(at != NULL);
    char *typed = malloc(file_len + 1);
    CHECK(typed != NULL);
    size_t head = (size_t)(at - file_json);
    memcpy(typed, file_json, head);
    strcpy(typed + head, bare[i]);
    strcat(typed, at + strlen(values[i]));
    CHECK_STATUS(mynacard_eligibility_build_request(typed, "utf-8", &xml, &xml_len),
                 MYNACARD_STATUS_INVALID_ARGUMENT);
    CHECK_CODE("argument.json");
    CHECK(strstr(last_message(), bare[i]) == NULL);
    CHECK(strstr(last_message(), "line 1, column") != NULL);
    CHECK(strstr(last_message(), i == 0 ? "birth" : "insurer_number") != NULL);
    free(typed);
  }
  free(file_json);
  CHECK_OK(mynacard_free(request));

  /* Malformed input and a bad request JSON. */
  const char *broken = "<XmlMsg><MessageHeader>";
  char *json = NULL;
  CHECK_STATUS(mynacard_eligibility_parse((const uint8_t *)broken, strlen(broken),
                                          "result", &json),
               MYNACARD_STATUS_MALFORMED);
  CHECK(strncmp(last_code(), "eligibility.", 12) == 0);
  CHECK(json == NULL);
  CHECK_STATUS(mynacard_eligibility_build_request("{\"nope\": 1}", NULL, &xml, &xml_len),
               MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.json");
  CHECK_STATUS(mynacard_eligibility_parse((const uint8_t *)broken, strlen(broken),
                                          "x-ray", &json),
               MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.file_kind");

  puts("test_eligibility: ok");
  return 0;
}
