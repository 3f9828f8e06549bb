/* The employer's intake through the C ABI on the virtual card (TEST holder
 * yamada): the 券面事項入力補助AP PIN on the keypad, the 署名用 password on the
 * keyboard; the record carries the 個人番号 (freed, and zeroized, with
 * mynacard_free). Then a wrong password until the new hire declines the last
 * try. The same intake over the host's own link (mynacard_employer_intake_run_on,
 * a transmit callback forwarding to the virtual card) gives the same record,
 * byte for byte; its argument checks name the argument. */
#include "check.h"

/* The host's link: forwards every APDU to the virtual card. */
static int32_t transmit(void *user_data, const uint8_t *command,
                        size_t command_len, uint8_t *response,
                        size_t response_capacity, size_t *response_len) {
  if (mynacard_virtual_card_transmit(user_data, command, command_len, response,
                                     response_capacity,
                                     response_len) != MYNACARD_STATUS_OK)
    return MYNACARD_TRANSMIT_READER_UNAVAILABLE;
  return MYNACARD_TRANSMIT_OK;
}

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
  save_json(argc, argv, NULL, "employer-intake", record);
  CHECK(yamada.password_prompts == 1);
  size_t record_len = strlen(record);
  char *by_name = malloc(record_len + 1);
  CHECK(by_name != NULL);
  memcpy(by_name, record, record_len + 1);
  CHECK_OK(mynacard_free(record));

  /* Over the host's link: the same record. */
  MynacardVirtualCard *card = NULL;
  CHECK_OK(mynacard_virtual_card_new("yamada", &card));
  MynacardTransport transport = {card, transmit, false};
  struct new_hire again = {"1234", "YAMADA2024", 0};
  host.user_data = &again;
  const char *own_link = "{\"time\": 1780272000}";
  record = NULL;
  CHECK_OK(mynacard_employer_intake_run_on(trust, own_link, &transport, &host, NULL, &record));
  CHECK(strcmp(record, by_name) == 0);
  CHECK(again.password_prompts == 1);
  memset(by_name, 0, record_len); /* the 個人番号 */
  free(by_name);
  CHECK_OK(mynacard_free(record));
  record = NULL;
  CHECK_STATUS(mynacard_employer_intake_run_on(trust, own_link, NULL, &host, NULL, &record),
               MYNACARD_STATUS_NULL_POINTER);
  CHECK_CODE("argument.null");
  CHECK(strstr(last_message(), "transport") != NULL);
  MynacardTransport no_transmit = {card, NULL, false};
  CHECK_STATUS(
      mynacard_employer_intake_run_on(trust, own_link, &no_transmit, &host, NULL, &record),
      MYNACARD_STATUS_NULL_POINTER);
  CHECK(strstr(last_message(), "transport->transmit") != NULL);
  CHECK_STATUS(mynacard_employer_intake_run_on(trust, OPTIONS, &transport, &host, NULL, &record),
               MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.options");
  CHECK(record == NULL);
  CHECK_OK(mynacard_virtual_card_free(card));
  host.user_data = &yamada;

  struct new_hire wrong = {"1234", "WRONG123", 0};
  host.user_data = &wrong;
  record = NULL;
  MynacardStatus status = mynacard_employer_intake_run(trust, OPTIONS, &host, NULL, &record);
  CHECK(status == MYNACARD_STATUS_CANCELLED || status == MYNACARD_STATUS_FLOW);
  CHECK(strncmp(last_code(), "employer.", 9) == 0);
  CHECK(record == NULL);
  CHECK(wrong.password_prompts >= 1);
  /* Exactly: four wrong passwords (5 tries on a fresh card), then the new hire
   * declines the last try. */
  CHECK(status == MYNACARD_STATUS_CANCELLED);
  CHECK_CODE("employer.last_try_declined");
  CHECK(wrong.password_prompts == 4);

  CHECK_OK(mynacard_trust_free(trust));
  puts("test_employer: ok");
  return 0;
}
