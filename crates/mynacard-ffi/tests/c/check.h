/* Helpers shared by the C tests: checks that print the library's last error,
 * and reading the repository's test data. Each test takes the repository root
 * as argv[1]. */
#ifndef MYNACARD_TEST_CHECK_H
#define MYNACARD_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mynacard.h"

static const char *last_message(void) {
  const char *m = mynacard_last_error_message();
  return m ? m : "(none)";
}

static const char *last_code(void) {
  const char *c = mynacard_last_error_code();
  return c ? c : "(none)";
}

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n  last error: [%s] %s\n",      \
              __FILE__, __LINE__, #cond, last_code(), last_message());         \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* A call must return `expected`. */
#define CHECK_STATUS(call, expected)                                           \
  do {                                                                         \
    MynacardStatus got_ = (call);                                              \
    if (got_ != (expected)) {                                                  \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s)\n"              \
              "  last error: [%s] %s\n", __FILE__, __LINE__, #call,            \
              (int)got_, (int)(expected), #expected, last_code(),              \
              last_message());                                                 \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, MYNACARD_STATUS_OK)

/* The last error's code must be `expected`. */
#define CHECK_CODE(expected)                                                   \
  do {                                                                         \
    if (strcmp(last_code(), (expected)) != 0) {                                \
      fprintf(stderr, "%s:%d: last error code is %s, expected %s (%s)\n",      \
              __FILE__, __LINE__, last_code(), (expected), last_message());    \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* Reads root/rel into a malloc'd buffer. */
static unsigned char *read_file(const char *root, const char *rel, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
  CHECK(buf != NULL);
  CHECK(fread(buf, 1, (size_t)n, f) == (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* Writes `json` to OUTPUT[.what].<schema>.json when the program was given an
 * OUTPUT (argv[2]; `what` may be NULL): .ci/ffi.sh validates each file against
 * schema/<schema>.json. */
static inline void save_json(int argc, char **argv, const char *what, const char *schema,
                             const char *json) {
  if (argc < 3) return;
  char path[4096];
  snprintf(path, sizeof path, "%s%s%s.%s.json", argv[2], what ? "." : "",
           what ? what : "", schema);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  CHECK(fputs(json, f) >= 0);
  CHECK(fclose(f) == 0);
}

static const char *repo_root(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s REPOSITORY_ROOT [OUTPUT]\n", argv[0]);
    exit(2);
  }
  return argv[1];
}

#endif
