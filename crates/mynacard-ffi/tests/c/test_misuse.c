/* Misuse of the C ABI: NULL pointers, double frees, foreign pointers, wrong
 * handle types, a callback that reports an error, an invalid answer, a cancel
 * from inside a callback, bad UTF-8 — each must give its status, never crash. */
#include "check.h"

static const char *OPTIONS =
    "{\"flow\": \"card_pin\", \"facility\": \"1310012345\","
    " \"virtual_card\": \"yamada\", \"time\": 1780272000}";

static int32_t failing_show(void *user_data, const MynacardGuidance *g) {
  (void)g;
  int *calls = user_data;
  return ++*calls == 2 ? -7 : 0; /* fail on the second guidance */
}

static int32_t pin_reply(void *user_data, const MynacardGuidance *g,
                         MynacardAnswer *answer) {
  (void)user_data;
  (void)g;
  answer->kind = MYNACARD_ANSWER_DIGITS;
  strcpy(answer->digits, "1234");
  return 0;
}

static int32_t failing_reply(void *user_data, const MynacardGuidance *g,
                             MynacardAnswer *answer) {
  (void)user_data;
  (void)g;
  (void)answer;
  return 1;
}

static int32_t bad_answer_reply(void *user_data, const MynacardGuidance *g,
                                MynacardAnswer *answer) {
  (void)user_data;
  (void)g;
  answer->kind = 99;
  return 0;
}

static int32_t unterminated_reply(void *user_data, const MynacardGuidance *g,
                                  MynacardAnswer *answer) {
  (void)user_data;
  (void)g;
  answer->kind = MYNACARD_ANSWER_DIGITS;
  memset(answer->digits, '1', sizeof answer->digits);
  return 0;
}

static int32_t cancelling_reply(void *user_data, const MynacardGuidance *g,
                                MynacardAnswer *answer) {
  (void)g;
  CHECK_OK(mynacard_cancel_request((MynacardCancel *)user_data));
  answer->kind = MYNACARD_ANSWER_DIGITS;
  strcpy(answer->digits, "1234");
  return 0;
}

int main(int argc, char **argv) {
  const char *root = repo_root(argc, argv);
  char *json = NULL;
  const char *s = NULL;

  /* Version and features. */
  CHECK_OK(mynacard_version(&s));
  CHECK(s != NULL && strlen(s) > 0);
  CHECK(mynacard_last_error_code() == NULL); /* cleared by a success */
  CHECK_OK(mynacard_features(&s));
  CHECK(strstr(s, "virtual-card") != NULL);

  /* NULL pointers. */
  CHECK_STATUS(mynacard_version(NULL), MYNACARD_STATUS_NULL_POINTER);
  CHECK_CODE("argument.null");
  CHECK_STATUS(mynacard_eligibility_parse(NULL, 10, NULL, &json),
               MYNACARD_STATUS_NULL_POINTER);
  CHECK_STATUS(mynacard_eligibility_parse(NULL, 0, NULL, NULL),
               MYNACARD_STATUS_NULL_POINTER);
  CHECK_STATUS(mynacard_trust_new(NULL, NULL), MYNACARD_STATUS_NULL_POINTER);
  MynacardTrust *trust = NULL;
  CHECK_STATUS(mynacard_trust_new(NULL, &trust), MYNACARD_STATUS_NULL_POINTER);
  CHECK(trust == NULL);
  CHECK_STATUS(mynacard_verify_certificate(NULL, NULL, 0, "authentication", -1, &json),
               MYNACARD_STATUS_NULL_POINTER);
  CHECK_OK(mynacard_free(NULL));
  CHECK_OK(mynacard_trust_free(NULL));

  /* Unknown names and bad UTF-8. */
  CHECK_STATUS(mynacard_trust_new("acme", &trust), MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.trust");
  CHECK_STATUS(mynacard_trust_new("\xff\xfe", &trust), MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.utf8");

  /* Double free and foreign pointers are refused, not passed to the allocator. */
  size_t len = 0;
  unsigned char *xml = read_file(root, "tests/data/eligibility/minimal.xml", &len);
  CHECK_OK(mynacard_eligibility_parse(xml, len, "result", &json));
  CHECK_OK(mynacard_free(json));
  CHECK_STATUS(mynacard_free(json), MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.not_live");
  int on_stack = 0;
  CHECK_STATUS(mynacard_free(&on_stack), MYNACARD_STATUS_INVALID_ARGUMENT);

  CHECK_OK(mynacard_trust_new("test", &trust));
  MynacardCancel *cancel = NULL;
  CHECK_OK(mynacard_cancel_new(&cancel));
  /* A handle of the wrong type, and a buffer passed as a handle. */
  CHECK_STATUS(mynacard_trust_free((MynacardTrust *)cancel), MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(mynacard_free(trust), MYNACARD_STATUS_INVALID_ARGUMENT);

  /* Reception misuse. */
  int calls = 0;
  MynacardHost host = {&calls, failing_show, pin_reply, NULL};
  CHECK_STATUS(mynacard_reception_run(trust, OPTIONS, NULL, NULL, &json),
               MYNACARD_STATUS_NULL_POINTER);
  MynacardHost no_reply = {NULL, NULL, NULL, NULL};
  CHECK_STATUS(mynacard_reception_run(trust, OPTIONS, &no_reply, NULL, &json),
               MYNACARD_STATUS_NULL_POINTER);
  CHECK_STATUS(mynacard_reception_run(trust, "{\"flow\": \"teleport\"}", &host, NULL, &json),
               MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_CODE("argument.options");

  /* A show callback that fails aborts the flow. */
  CHECK_STATUS(mynacard_reception_run(trust, OPTIONS, &host, NULL, &json),
               MYNACARD_STATUS_CALLBACK);
  CHECK_CODE("callback.failed");
  CHECK(strstr(last_message(), "-7") != NULL);
  CHECK(calls == 2);

  /* A reply callback that fails, an unknown answer kind, unterminated digits. */
  host.show = NULL;
  host.reply = failing_reply;
  CHECK_STATUS(mynacard_reception_run(trust, OPTIONS, &host, NULL, &json),
               MYNACARD_STATUS_CALLBACK);
  host.reply = bad_answer_reply;
  CHECK_STATUS(mynacard_reception_run(trust, OPTIONS, &host, NULL, &json),
               MYNACARD_STATUS_CALLBACK);
  CHECK(strstr(last_message(), "unknown answer kind 99") != NULL);
  host.reply = unterminated_reply;
  CHECK_STATUS(mynacard_reception_run(trust, OPTIONS, &host, NULL, &json),
               MYNACARD_STATUS_CALLBACK);

  /* Cancelled from inside a callback (any thread may do the same). */
  host.user_data = cancel;
  host.reply = cancelling_reply;
  CHECK_STATUS(mynacard_reception_run(trust, OPTIONS, &host, cancel, &json),
               MYNACARD_STATUS_CANCELLED);
  CHECK_CODE("flow.cancelled");

  /* Handles: double free refused; a freed handle is not usable. */
  CHECK_OK(mynacard_cancel_free(cancel));
  CHECK_STATUS(mynacard_cancel_free(cancel), MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(mynacard_cancel_request(cancel), MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_OK(mynacard_trust_free(trust));
  CHECK_STATUS(mynacard_trust_free(trust), MYNACARD_STATUS_INVALID_ARGUMENT);
  CHECK_STATUS(mynacard_verify_certificate(trust, xml, len, "authentication", -1, &json),
               MYNACARD_STATUS_INVALID_ARGUMENT);

  free(xml);
  puts("test_misuse: ok");
  return 0;
}
