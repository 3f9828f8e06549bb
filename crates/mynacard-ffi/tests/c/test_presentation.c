/* PKI through the C ABI: a certificate path verified at a given time, an
 * expired one refused, and a presentation whose signature is not over the
 * challenge refused — each with its status and stable code. */
#include "check.h"

#define REFERENCE_TIME 1780272000 /* 2026-06-01T00:00:00Z, the TEST PKI's */

int main(int argc, char **argv) {
  const char *root = repo_root(argc, argv);
  MynacardTrust *trust = NULL;
  CHECK_OK(mynacard_trust_new("test", &trust));

  size_t len = 0;
  unsigned char *cert = read_file(root, "crates/mynacard-virtual-card/data/pki/yamada_auth.der", &len);
  char *json = NULL;
  CHECK_OK(mynacard_verify_certificate(trust, cert, len, "authentication",
                                       REFERENCE_TIME, &json));
  CHECK(strstr(json, "\"serial\":\"329BCA3A\"") != NULL);
  CHECK_OK(mynacard_free(json));

  /* The same certificate in 2040: expired. */
  json = NULL;
  CHECK_STATUS(mynacard_verify_certificate(trust, cert, len, "authentication",
                                           2208988800LL, &json),
               MYNACARD_STATUS_REFUSED);
  CHECK_CODE("pki.expired");
  CHECK(json == NULL);

  /* A signing purpose for an auth certificate. */
  CHECK_STATUS(mynacard_verify_certificate(trust, cert, len, "signature",
                                           REFERENCE_TIME, &json),
               MYNACARD_STATUS_REFUSED);

  /* A presentation whose "signature" was not made by the card. */
  const unsigned char challenge[32] = {1, 2, 3};
  unsigned char signature[256];
  memset(signature, 0x5A, sizeof signature);
  CHECK_STATUS(mynacard_verify_presentation(trust, cert, len, challenge,
                                            sizeof challenge, signature,
                                            sizeof signature, NULL,
                                            REFERENCE_TIME, &json),
               MYNACARD_STATUS_REFUSED);
  CHECK(strncmp(last_code(), "pki.", 4) == 0);
  CHECK(json == NULL);

  /* Garbage instead of a certificate: malformed, not refused. */
  CHECK_STATUS(mynacard_verify_presentation(trust, challenge, sizeof challenge,
                                            challenge, sizeof challenge,
                                            signature, sizeof signature, NULL,
                                            REFERENCE_TIME, &json),
               MYNACARD_STATUS_MALFORMED);

  /* An unknown policy preset. */
  CHECK_STATUS(mynacard_verify_presentation(trust, cert, len, challenge,
                                            sizeof challenge, signature,
                                            sizeof signature,
                                            "{\"preset\": \"lenient\"}",
                                            REFERENCE_TIME, &json),
               MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.policy");

  free(cert);
  CHECK_OK(mynacard_trust_free(trust));
  puts("test_presentation: ok");
  return 0;
}
