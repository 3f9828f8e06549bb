/* Eligibility files through the C ABI: a result file (UTF-8 and Shift_JIS), a
 * view file detected by its content, a request built from JSON and read back,
 * and malformed input. */
#include "check.h"

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
  CHECK_OK(mynacard_free(utf8));
  CHECK_OK(mynacard_free(sjis));

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
