/* A full reception through the C ABI: card + PIN on the in-process virtual
 * card (TEST holder yamada), TEST PKI with its auth CA CRL, at the TEST PKI's
 * reference time; the patient types 1234 and answers the four consents
 * yes / yes / no / yes. Then a revoked card (sato) is refused.
 *
 * Build and run (what .ci/ffi.sh does):
 *   cargo build -p mynacard-ffi
 *   cc -std=c11 -Wall -Wextra -Werror -I crates/mynacard-ffi/include \
 *      crates/mynacard-ffi/tests/c/test_reception.c -L target/debug \
 *      -lmynacard_ffi -Wl,-rpath,$PWD/target/debug -o test_reception
 *   ./test_reception . outcome.json
 */
#include "check.h"

/* What the patient at the reader will answer. */
struct patient {
  const char *pin;
  const int *consents; /* MYNACARD_ANSWER_YES / _NO, in the order asked */
  size_t consents_len;
  size_t asked;
  int shown;
};

static int32_t show(void *user_data, const MynacardGuidance *g) {
  struct patient *p = user_data;
  p->shown++;
  printf("  > [%s] %s / %s\n", g->id, g->ja, g->en);
  return 0;
}

static int32_t reply(void *user_data, const MynacardGuidance *g,
                     MynacardAnswer *answer) {
  struct patient *p = user_data;
  if (strcmp(g->prompt, "keypad") == 0) {
    CHECK(g->keypad_digits == strlen(p->pin));
    answer->kind = MYNACARD_ANSWER_DIGITS;
    snprintf(answer->digits, sizeof answer->digits, "%s", p->pin);
  } else if (strcmp(g->prompt, "consent") == 0 && p->asked < p->consents_len) {
    CHECK(g->consent_item != NULL);
    answer->kind = p->consents[p->asked++];
  } else {
    answer->kind = MYNACARD_ANSWER_CANCEL;
  }
  return 0;
}

static const char *OPTIONS =
    "{\"flow\": \"card_pin\", \"facility\": \"1310012345\","
    " \"virtual_card\": \"%s\", \"time\": 1780272000}";

int main(int argc, char **argv) {
  const char *root = repo_root(argc, argv);

  MynacardTrust *trust = NULL;
  CHECK_OK(mynacard_trust_new("test", &trust));
  size_t crl_len = 0;
  unsigned char *crl = read_file(root, "crates/mynacard-virtual-card/data/pki/auth_ca.crl.der", &crl_len);
  char *summary = NULL;
  CHECK_OK(mynacard_trust_add_crl(trust, crl, crl_len, &summary));
  CHECK(strstr(summary, "\"entries\"") != NULL);
  CHECK_OK(mynacard_free(summary));
  free(crl);

  /* The reception that succeeds. */
  const int consents[] = {MYNACARD_ANSWER_YES, MYNACARD_ANSWER_YES,
                          MYNACARD_ANSWER_NO, MYNACARD_ANSWER_YES};
  struct patient yamada = {"1234", consents, 4, 0, 0};
  MynacardHost host = {&yamada, show, reply, NULL};
  char options[256];
  snprintf(options, sizeof options, OPTIONS, "yamada");
  char *outcome = NULL;
  CHECK_OK(mynacard_reception_run(trust, options, &host, NULL, &outcome));
  CHECK(outcome != NULL);
  CHECK(yamada.asked == 4);
  CHECK(yamada.shown > 4);
  CHECK(strstr(outcome, "\"kind\":\"verified\"") != NULL);
  CHECK(strstr(outcome, "\"serial\":\"329BCA3A\"") != NULL);
  CHECK(strstr(outcome, "\"method\":\"pin\"") != NULL);
  printf("outcome: %s\n", outcome);
  if (argc > 2) {
    FILE *out = fopen(argv[2], "w");
    CHECK(out != NULL);
    fprintf(out, "%s\n", outcome);
    fclose(out);
  }
  CHECK_OK(mynacard_free(outcome));

  /* A revoked card: the flow ends without an outcome, code flow.verification.revoked. */
  struct patient sato = {"4321", consents, 4, 0, 0};
  host.user_data = &sato;
  snprintf(options, sizeof options, OPTIONS, "sato");
  outcome = NULL;
  CHECK_STATUS(mynacard_reception_run(trust, options, &host, NULL, &outcome),
               MYNACARD_STATUS_FLOW);
  CHECK_CODE("flow.verification.revoked");
  CHECK(outcome == NULL);
  CHECK(sato.asked == 0); /* consents are asked only after the identity check */

  CHECK_OK(mynacard_trust_free(trust));
  puts("test_reception: ok");
  return 0;
}
