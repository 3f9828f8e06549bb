/* The employer's intake through the C ABI on the virtual card (TEST holder
 * yamada): the 券面事項入力補助AP PIN on the keypad, the 署名用 password on the
 * keyboard; the record carries the 個人番号 (freed, and zeroized, with
 * mynacard_free). Then a wrong password until the new hire declines the last
 * try. */
#include "check.h"

struct new_hire {
  const char *pin;
  const char *password;
  int password_prompts;
};

static int32_t reply(void *user_data, const MynacardGuidance *g,
                     MynacardAnswer *answer) {
  struct new_hire *h = user_data;
  if (strcmp(g->prompt, "keypad") == 0) {
    answer->kind = MYNACARD_ANSWER_DIGITS;
    snprintf(answer->digits, sizeof answer->digits, "%s", h->pin);
  } else if (strcmp(g->prompt, "password") == 0) {
    h->password_prompts++;
    answer->kind = MYNACARD_ANSWER_DIGITS;
    snprintf(answer->digits, sizeof answer->digits, "%s", h->password);
  } else {
    answer->kind = MYNACARD_ANSWER_NO; /* decline a last try */
  }
  return 0;
}

static const char *OPTIONS = "{\"virtual_card\": \"yamada\", \"time\": 1780272000}";

int main(int argc, char **argv) {
  const char *root = repo_root(argc, argv);
  MynacardTrust *trust = NULL;
  CHECK_OK(mynacard_trust_new("test", &trust));
  size_t len = 0;
  unsigned char *crl =
      read_file(root, "crates/mynacard-virtual-card/data/pki/sign_ca.crl.der", &len);
  CHECK_OK(mynacard_trust_add_crl(trust, crl, len, NULL));
  free(crl);

  struct new_hire yamada = {"1234", "YAMADA2024", 0};
  MynacardHost host = {&yamada, NULL, reply, NULL};
  char *record = NULL;
  CHECK_OK(mynacard_employer_intake_run(trust, OPTIONS, &host, NULL, &record));
  CHECK(strstr(record, "\"kind\":\"recorded\"") != NULL);
  CHECK(strstr(record, "123456789018") != NULL); /* the TEST holder's 個人番号 */
  CHECK(yamada.password_prompts == 1);
  CHECK_OK(mynacard_free(record));

  struct new_hire wrong = {"1234", "WRONG123", 0};
  host.user_data = &wrong;
  record = NULL;
  MynacardStatus status = mynacard_employer_intake_run(trust, OPTIONS, &host, NULL, &record);
  CHECK(status == MYNACARD_STATUS_CANCELLED || status == MYNACARD_STATUS_FLOW);
  CHECK(strncmp(last_code(), "employer.", 9) == 0);
  CHECK(record == NULL);
  CHECK(wrong.password_prompts >= 1);

  CHECK_OK(mynacard_trust_free(trust));
  puts("test_employer: ok");
  return 0;
}
