/* Signed documents through the C ABI: a detached CMS and a signed PDF made by the
 * crate's tests (tests/data/document, TEST holder yamada) verified under the TEST
 * store and CRL; other content refused with its code; bytes appended to the PDF
 * reported; garbage malformed. */
#include "check.h"

#define REFERENCE_TIME 1780272000 /* 2026-06-01T00:00:00Z, the TEST PKI's */

int main(int argc, char **argv) {
  const char *root = repo_root(argc, argv);
  MynacardTrust *trust = NULL;
  CHECK_OK(mynacard_trust_new("test", &trust));
  size_t crl_len = 0;
  unsigned char *crl = read_file(root, "crates/mynacard-virtual-card/data/pki/sign_ca.crl.der", &crl_len);
  CHECK_OK(mynacard_trust_add_crl(trust, crl, crl_len, NULL));

  size_t cms_len = 0, content_len = 0, pdf_len = 0;
  unsigned char *cms = read_file(root, "tests/data/document/yamada_detached.p7s", &cms_len);
  unsigned char *content = read_file(root, "tests/data/document/contract.txt", &content_len);
  unsigned char *pdf = read_file(root, "tests/data/document/yamada_signed.pdf", &pdf_len);

  char *json = NULL;
  CHECK_OK(mynacard_verify_cms(trust, cms, cms_len, content, content_len, NULL,
                               REFERENCE_TIME, &json));
  CHECK(strstr(json, "\"checked_at\":\"verification_time\"") != NULL);
  CHECK(strstr(json, "\"status\":\"good\"") != NULL);
  save_json(argc, argv, NULL, "signed-document", json);
  CHECK_OK(mynacard_free(json));

  /* The same signature over other content. */
  json = NULL;
  const unsigned char other[] = "another contract";
  CHECK_STATUS(mynacard_verify_cms(trust, cms, cms_len, other, sizeof other - 1,
                                   NULL, REFERENCE_TIME, &json),
               MYNACARD_STATUS_REFUSED);
  CHECK_CODE("document.message_digest_mismatch");
  CHECK(json == NULL);

  /* Attached expected (content NULL) but the signature is detached. */
  CHECK_STATUS(mynacard_verify_cms(trust, cms, cms_len, NULL, 0, NULL,
                                   REFERENCE_TIME, &json),
               MYNACARD_STATUS_REFUSED);
  CHECK_CODE("document.content_missing");

  /* The signed PDF, then with an update appended. */
  CHECK_OK(mynacard_verify_pdf(trust, pdf, pdf_len, NULL, REFERENCE_TIME, &json));
  CHECK(strstr(json, "\"verdict\":{\"code\":\"signed\"}") != NULL);
  save_json(argc, argv, NULL, "pdf-report", json);
  CHECK_OK(mynacard_free(json));
  const char tail[] = "9 0 obj\n<< >>\nendobj\n%%EOF\n";
  unsigned char *appended = malloc(pdf_len + sizeof tail);
  CHECK(appended != NULL);
  memcpy(appended, pdf, pdf_len);
  memcpy(appended + pdf_len, tail, sizeof tail - 1);
  json = NULL;
  CHECK_OK(mynacard_verify_pdf(trust, appended, pdf_len + sizeof tail - 1, NULL,
                               REFERENCE_TIME, &json));
  CHECK(strstr(json, "\"code\":\"modified_after_signing\"") != NULL);
  CHECK_OK(mynacard_free(json));

  /* Not a PDF. */
  json = NULL;
  CHECK_STATUS(mynacard_verify_pdf(trust, content, content_len, NULL,
                                   REFERENCE_TIME, &json),
               MYNACARD_STATUS_MALFORMED);
  CHECK_CODE("document.not_pdf");

  free(appended);
  free(pdf);
  free(content);
  free(cms);
  free(crl);
  CHECK_OK(mynacard_trust_free(trust));
  puts("test_document: ok");
  return 0;
}
