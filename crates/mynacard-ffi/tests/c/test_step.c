/* The step-wise (sans-IO) reception: the C program owns the loop. It feeds
 * each input to mynacard_flow_resume and does what the step says — sends the
 * command to the card (here the in-process virtual card, TEST holder yamada),
 * shows the guidance and answers it, compares the face — until DONE.
 *
 *  1. card + PIN (PIN 1234, consents yes / yes / no / yes): the outcome JSON is
 *     written to argv[2] and .ci/ffi.sh compares it with the Rust example's and
 *     the callback run's (test_reception.c);
 *  2. card + face (choice face, match, PIN 1234, same consents): the same JSON
 *     as the Rust example's `card_face`;
 *  3. a card removed mid-flow ends with MYNACARD_STATUS_CARD, and a call after
 *     the end fails with flow.finished.
 */
#include "check.h"

static const int CONSENTS[] = {MYNACARD_ANSWER_YES, MYNACARD_ANSWER_YES,
                               MYNACARD_ANSWER_NO, MYNACARD_ANSWER_YES};

/* Runs a flow to its end; returns the outcome (free with mynacard_free semantics:
 * a malloc'd copy, freed with free; on failure the code is in failed_code). fail_after: report the card as
 * failed at that command (0: never). */
static char failed_code[64];

static char *drive(MynacardTrust *trust, const char *options, int fail_after,
                   MynacardStatus *status) {
  MynacardVirtualCard *card = NULL;
  CHECK_OK(mynacard_virtual_card_new("yamada", &card));
  MynacardFlow *flow = NULL;
  CHECK_OK(mynacard_flow_new(trust, options, &flow));
  MynacardInput input;
  memset(&input, 0, sizeof input);
  input.kind = MYNACARD_INPUT_START;
  static uint8_t response[65538];
  size_t consents = 0;
  int commands = 0;
  char *outcome = NULL;
  for (;;) {
    MynacardStep step;
    MynacardStatus s = mynacard_flow_resume(flow, &input, &step);
    if (s != MYNACARD_STATUS_OK) {
      *status = s;
      /* The next call (mynacard_flow_free) clears the last error: keep it. */
      snprintf(failed_code, sizeof failed_code, "%s", last_code());
      break;
    }
    memset(&input, 0, sizeof input);
    if (step.kind == MYNACARD_STEP_SEND) {
      commands++;
      if (fail_after && commands == fail_after) {
        input.kind = MYNACARD_INPUT_CARD_FAILED;
        continue;
      }
      size_t len = 0;
      CHECK_OK(mynacard_virtual_card_transmit(card, step.data, step.data_len,
                                              response, sizeof response, &len));
      input.kind = MYNACARD_INPUT_RESPONSE;
      input.response = response;
      input.response_len = len;
    } else if (step.kind == MYNACARD_STEP_GUIDE) {
      const MynacardGuidance *g = step.guidance;
      printf("  > [%s] %s\n", g->id, g->en);
      if (strcmp(g->prompt, "nothing") == 0 || strcmp(g->prompt, "face_capture") == 0) {
        input.kind = MYNACARD_INPUT_CONTINUE;
      } else if (strcmp(g->prompt, "keypad") == 0) {
        input.kind = MYNACARD_INPUT_ANSWER;
        input.answer.kind = MYNACARD_ANSWER_DIGITS;
        snprintf(input.answer.digits, sizeof input.answer.digits, "1234");
      } else if (strcmp(g->prompt, "choice") == 0) {
        input.kind = MYNACARD_INPUT_ANSWER;
        input.answer.kind = MYNACARD_ANSWER_CANCEL;
        for (size_t i = 0; i < g->choices_len; i++) {
          if (strcmp(g->choices[i], "face") == 0) {
            input.answer.kind = MYNACARD_ANSWER_CHOICE;
            input.answer.choice = i;
          }
        }
      } else if (strcmp(g->prompt, "consent") == 0 && consents < 4) {
        input.kind = MYNACARD_INPUT_ANSWER;
        input.answer.kind = CONSENTS[consents++];
      } else {
        input.kind = MYNACARD_INPUT_ANSWER;
        input.answer.kind = MYNACARD_ANSWER_CANCEL;
      }
    } else if (step.kind == MYNACARD_STEP_COMPARE_FACE) {
      CHECK(step.data != NULL && step.data_len > 12);
      input.kind = MYNACARD_INPUT_FACE;
      input.face = MYNACARD_FACE_MATCH;
    } else {
      CHECK(step.kind == MYNACARD_STEP_DONE);
      size_t n = strlen(step.outcome_json);
      outcome = malloc(n + 1);
      CHECK(outcome != NULL);
      memcpy(outcome, step.outcome_json, n + 1);
      *status = MYNACARD_STATUS_OK;
      /* The flow is over: any further input is refused. */
      input.kind = MYNACARD_INPUT_CONTINUE;
      CHECK_STATUS(mynacard_flow_resume(flow, &input, &step), MYNACARD_STATUS_FLOW);
      CHECK_CODE("flow.finished");
      break;
    }
  }
  CHECK_OK(mynacard_flow_free(flow));
  CHECK_OK(mynacard_virtual_card_free(card));
  return outcome;
}

static void write_out(const char *path, const char *json) {
  FILE *out = fopen(path, "w");
  CHECK(out != NULL);
  fprintf(out, "%s\n", json);
  fclose(out);
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

  MynacardStatus status = MYNACARD_STATUS_INTERNAL;
  char *pin = drive(trust,
                    "{\"flow\": \"card_pin\", \"facility\": \"1310012345\","
                    " \"time\": 1780272000}",
                    0, &status);
  CHECK(status == MYNACARD_STATUS_OK && pin != NULL);
  CHECK(strstr(pin, "\"method\":\"pin\"") != NULL);
  printf("card_pin outcome: %s\n", pin);
  if (argc > 2) write_out(argv[2], pin);
  free(pin);

  char *face = drive(trust,
                     "{\"flow\": \"card_face\", \"facility\": \"1310012345\","
                     " \"time\": 1780272000, \"scanned_card_face\": {\"birth_date\":"
                     " \"1990-04-01\", \"expiry_year\": 2035, \"security_code\": \"2285\"}}",
                     0, &status);
  CHECK(status == MYNACARD_STATUS_OK && face != NULL);
  CHECK(strstr(face, "\"method\":\"face_and_pin\"") != NULL);
  printf("card_face outcome: %s\n", face);
  if (argc > 2) {
    char path[4096];
    snprintf(path, sizeof path, "%s.face", argv[2]);
    write_out(path, face);
  }
  free(face);

  char *none = drive(trust,
                     "{\"flow\": \"card_pin\", \"facility\": \"1310012345\","
                     " \"time\": 1780272000}",
                     3, &status);
  CHECK(none == NULL);
  CHECK(status == MYNACARD_STATUS_CARD);
  CHECK(strcmp(failed_code, "flow.card.removed") == 0);

  /* Options naming a card are refused: the host owns the link. */
  MynacardFlow *flow = NULL;
  CHECK_STATUS(mynacard_flow_new(trust,
                                 "{\"flow\": \"card_pin\", \"facility\": \"1310012345\","
                                 " \"virtual_card\": \"yamada\"}",
                                 &flow),
               MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.options");
  CHECK(flow == NULL);
  /* So are waits: the host owns the clock (a timeout would be ignored). */
  CHECK_STATUS(mynacard_flow_new(trust,
                                 "{\"flow\": \"card_pin\", \"facility\": \"1310012345\","
                                 " \"timeout_ms\": 1000}",
                                 &flow),
               MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.options");
  CHECK(strstr(last_message(), "timeout_ms") != NULL);
  CHECK(flow == NULL);

  CHECK_OK(mynacard_trust_free(trust));
  puts("test_step: ok");
  return 0;
}
