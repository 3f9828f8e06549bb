/* Flows over the host's own link: the C program's transmit callback (here
 * forwarding to the in-process virtual card, TEST holder yamada, as a vendor's
 * reader driver would forward to its reader) carries every APDU.
 *
 *  1. card + face: the reader starts empty (the first transmits answer
 *     MYNACARD_TRANSMIT_NO_CARD: the library waits), the patient chooses face,
 *     the camera callback says match, PIN 1234, consents yes / yes / no / yes.
 *     The outcome JSON is written to argv[2]; .ci/ffi.sh compares it with the
 *     Rust example's (`reception_json card_face`) and the Python test's.
 *  2. card + PIN with a wrong PIN first: the next keypad prompt carries the
 *     real tries left (2), not -1.
 *  3. a cancel from the show callback: status CANCELLED, code flow.cancelled,
 *     and the only guidance shown after it is the cancel guidance.
 *  4. an empty reader that stays empty: after card_wait_ms, CARD /
 *     transport.no_card; with card_wait_ms 0 at once.
 *  5. 資格確認書 (no card): the request by identifiers.
 */
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#endif

#include "check.h"

struct link {
  MynacardVirtualCard *card;
  int empty_polls; /* transmits to answer "no card" first (-1: always) */
  int transmits;
};

static int32_t transmit(void *user_data, const uint8_t *command,
                        size_t command_len, uint8_t *response,
                        size_t response_capacity, size_t *response_len) {
  struct link *l = user_data;
  l->transmits++;
  if (l->empty_polls < 0) return MYNACARD_TRANSMIT_NO_CARD;
  if (l->empty_polls > 0) {
    l->empty_polls--;
    return MYNACARD_TRANSMIT_NO_CARD;
  }
  if (mynacard_virtual_card_transmit(l->card, command, command_len, response,
                                     response_capacity,
                                     response_len) != MYNACARD_STATUS_OK)
    return MYNACARD_TRANSMIT_READER_UNAVAILABLE;
  return MYNACARD_TRANSMIT_OK;
}

struct patient {
  const char *pins[2];
  size_t pins_given;
  size_t consents_given;
  int faces_compared;
  int keypad_tries[2];
  const MynacardCancel *cancel_at_pin; /* cancel when the PIN is asked */
  int shown_after_cancel;
  char last_shown[64];
  int cancelled;
};

static const int CONSENTS[] = {MYNACARD_ANSWER_YES, MYNACARD_ANSWER_YES,
                               MYNACARD_ANSWER_NO, MYNACARD_ANSWER_YES};

static int32_t show(void *user_data, const MynacardGuidance *g) {
  struct patient *p = user_data;
  if (p->cancelled) p->shown_after_cancel++;
  snprintf(p->last_shown, sizeof p->last_shown, "%s", g->id);
  printf("  > [%s] tries_left=%d %s\n", g->id, (int)g->tries_left, g->en);
  return 0;
}

static int32_t reply(void *user_data, const MynacardGuidance *g,
                     MynacardAnswer *answer) {
  struct patient *p = user_data;
  if (strcmp(g->prompt, "choice") == 0) {
    for (size_t i = 0; i < g->choices_len; i++) {
      if (strcmp(g->choices[i], "face") == 0) {
        answer->kind = MYNACARD_ANSWER_CHOICE;
        answer->choice = i;
        return 0;
      }
    }
    CHECK(!"face is offered");
  } else if (strcmp(g->prompt, "keypad") == 0) {
    if (p->cancel_at_pin) {
      CHECK_OK(mynacard_cancel_request(p->cancel_at_pin));
      p->cancelled = 1;
      answer->kind = MYNACARD_ANSWER_DIGITS; /* the cancel wins anyway */
      snprintf(answer->digits, sizeof answer->digits, "1234");
      return 0;
    }
    CHECK(p->pins_given < 2 && p->pins[p->pins_given] != NULL);
    p->keypad_tries[p->pins_given] = g->tries_left;
    answer->kind = MYNACARD_ANSWER_DIGITS;
    snprintf(answer->digits, sizeof answer->digits, "%s",
             p->pins[p->pins_given++]);
  } else if (strcmp(g->prompt, "consent") == 0 && p->consents_given < 4) {
    answer->kind = CONSENTS[p->consents_given++];
  } else {
    answer->kind = MYNACARD_ANSWER_CANCEL;
  }
  return 0;
}

static int32_t camera(void *user_data, const uint8_t *photo, size_t len) {
  struct patient *p = user_data;
  /* The card's own photo: JPEG 2000 (JP2 signature box). */
  static const uint8_t jp2[] = {0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20};
  CHECK(len > sizeof jp2 && memcmp(photo, jp2, sizeof jp2) == 0);
  p->faces_compared++;
  return MYNACARD_FACE_MATCH;
}

static double seconds(void) {
#ifdef _WIN32
  /* mingw's C runtime (msvcrt) has no timespec_get. */
  return (double)GetTickCount64() / 1000.0;
#else
  struct timespec t;
  timespec_get(&t, TIME_UTC);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
#endif
}

int main(int argc, char **argv) {
  const char *root = repo_root(argc, argv);
  MynacardTrust *trust = NULL;
  CHECK_OK(mynacard_trust_new("test", &trust));
  size_t crl_len = 0;
  unsigned char *crl =
      read_file(root, "crates/mynacard-virtual-card/data/pki/auth_ca.crl.der", &crl_len);
  CHECK_OK(mynacard_trust_add_crl(trust, crl, crl_len, NULL));
  free(crl);

  /* 1. card + face over the callback, the reader empty at first. */
  struct link link = {NULL, 3, 0};
  CHECK_OK(mynacard_virtual_card_new("yamada", &link.card));
  MynacardTransport transport = {&link, transmit, false};
  struct patient face = {{"1234", NULL}, 0, 0, 0, {0, 0}, NULL, 0, "", 0};
  MynacardHost host = {&face, show, reply, camera};
  const char *face_options =
      "{\"flow\": \"card_face\", \"facility\": \"1310012345\", \"time\": 1780272000,"
      " \"scanned_card_face\": {\"birth_date\": \"1990-04-01\","
      " \"expiry_year\": 2035, \"security_code\": \"2285\"}}";
  char *outcome = NULL;
  CHECK_OK(mynacard_reception_run_on(trust, face_options, &transport, &host, NULL,
                                     &outcome));
  CHECK(link.empty_polls == 0 && link.transmits > 3);
  CHECK(face.faces_compared == 1);
  CHECK(face.consents_given == 4);
  CHECK(strstr(outcome, "\"method\":\"face_and_pin\"") != NULL);
  CHECK(strstr(outcome, "\"serial\":\"329BCA3A\"") != NULL);
  /* No personal value of the scanned face in the outcome. */
  CHECK(strstr(outcome, "2285") == NULL && strstr(outcome, "1990") == NULL);
  printf("card_face outcome: %s\n", outcome);
  if (argc > 2) {
    FILE *out = fopen(argv[2], "w");
    CHECK(out != NULL);
    fprintf(out, "%s\n", outcome);
    fclose(out);
  }
  CHECK_OK(mynacard_free(outcome));
  CHECK_OK(mynacard_virtual_card_free(link.card));

  /* 2. a wrong PIN, then the right one: the second keypad prompt says 2 tries. */
  struct link fresh = {NULL, 0, 0};
  CHECK_OK(mynacard_virtual_card_new("yamada", &fresh.card));
  transport.user_data = &fresh;
  struct patient retry = {{"9999", "1234"}, 0, 0, 0, {0, 0}, NULL, 0, "", 0};
  host.user_data = &retry;
  const char *pin_options =
      "{\"flow\": \"card_pin\", \"facility\": \"1310012345\", \"time\": 1780272000}";
  outcome = NULL;
  CHECK_OK(mynacard_reception_run_on(trust, pin_options, &transport, &host, NULL,
                                     &outcome));
  CHECK(retry.pins_given == 2);
  CHECK(retry.keypad_tries[0] == -1); /* the first prompt: not known */
  CHECK(retry.keypad_tries[1] == 2);
  CHECK_OK(mynacard_free(outcome));

  /* 3. cancel when the PIN is asked: reported as a cancel, nothing else shown. */
  MynacardCancel *cancel = NULL;
  CHECK_OK(mynacard_cancel_new(&cancel));
  struct patient quitter = {{"1234", NULL}, 0, 0, 0, {0, 0}, cancel, 0, "", 0};
  host.user_data = &quitter;
  outcome = NULL;
  CHECK_STATUS(mynacard_reception_run_on(trust, pin_options, &transport, &host,
                                         cancel, &outcome),
               MYNACARD_STATUS_CANCELLED);
  CHECK_CODE("flow.cancelled");
  CHECK(outcome == NULL);
  CHECK(quitter.shown_after_cancel == 1);
  CHECK(strstr(quitter.last_shown, "fail") == NULL);
  CHECK_OK(mynacard_cancel_free(cancel));
  CHECK_OK(mynacard_virtual_card_free(fresh.card));

  /* 4. a reader that stays empty: waits card_wait_ms, then transport.no_card. */
  struct link empty = {NULL, -1, 0};
  transport.user_data = &empty;
  struct patient nobody = {{"1234", NULL}, 0, 0, 0, {0, 0}, NULL, 0, "", 0};
  host.user_data = &nobody;
  const char *wait_options =
      "{\"flow\": \"card_pin\", \"facility\": \"1310012345\", \"card_wait_ms\": 300}";
  double t0 = seconds();
  CHECK_STATUS(mynacard_reception_run_on(trust, wait_options, &transport, &host,
                                         NULL, &outcome),
               MYNACARD_STATUS_CARD);
  CHECK_CODE("transport.no_card");
  CHECK(seconds() - t0 >= 0.3);
  CHECK(empty.transmits > 2);
  empty.transmits = 0;
  const char *no_wait =
      "{\"flow\": \"card_pin\", \"facility\": \"1310012345\", \"card_wait_ms\": 0}";
  CHECK_STATUS(mynacard_reception_run_on(trust, no_wait, &transport, &host, NULL,
                                         &outcome),
               MYNACARD_STATUS_CARD);
  CHECK_CODE("transport.no_card");
  CHECK(empty.transmits == 1);

  /* 5. 資格確認書: no card, the request by identifiers (照会区分 2). */
  struct patient clerk = {{NULL, NULL}, 0, 0, 0, {0, 0}, NULL, 0, "", 0};
  host.user_data = &clerk;
  const char *identifiers =
      "{\"flow\": \"identifiers\", \"facility\": \"1310012345\", \"identifiers\":"
      " {\"insurer_number\": \"06139999\", \"insured_card_symbol\": \"1\","
      " \"insured_identification_number\": \"2\", \"insured_branch_number\": null,"
      " \"birthdate\": \"1990-04-01\", \"limit_application_consent\": false,"
      " \"arbitrary_identifier\": null, \"unknown\": []}}";
  outcome = NULL;
  CHECK_OK(mynacard_reception_run(trust, identifiers, &host, NULL, &outcome));
  CHECK(strstr(outcome, "\"method\":\"insurance_identifiers\"") != NULL);
  CHECK(strstr(outcome, "\"request\":{") != NULL);
  CHECK_OK(mynacard_free(outcome));

  CHECK_OK(mynacard_trust_free(trust));
  puts("test_transport: ok");
  return 0;
}
