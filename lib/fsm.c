/* The hazard state machine as a pure table (docs/domain.md §3).  No I/O, no SQL:
 * lib/hazard.c asks it which move is legal, and the DOT rendering in
 * docs/ is generated from it. */
#include "fsm.h"
#include <stdio.h>
#include <string.h>

#define S(x) (1u << CBC_HAZARD_##x)
#define OPEN_STATES (S(REGISTERED) | S(RECTIFYING))

static const cbc__transition table[] = {
  { CBC_ACTION_REPORT, 1u, CBC_HAZARD_REPORTED, 0 },
  { CBC_ACTION_REJECT, S(REPORTED), CBC_HAZARD_REJECTED, 0 },
  { CBC_ACTION_REGISTER, S(REPORTED), CBC_HAZARD_REGISTERED, 0 },
  { CBC_ACTION_START, S(REGISTERED), CBC_HAZARD_RECTIFYING, 0 },
  { CBC_ACTION_ESCALATE, OPEN_STATES, 0, CBC__FSM_LEVEL_UP },
  { CBC_ACTION_ESCALATE_OVERDUE, OPEN_STATES, 0, CBC__FSM_LEVEL_UP | CBC__FSM_SYSTEM_ONLY },
  { CBC_ACTION_LIST_SUPERVISION, OPEN_STATES | S(PENDING_VERIFICATION), 0,
    CBC__FSM_MAJOR_ONLY },
  { CBC_ACTION_REQUEST_EXTENSION, OPEN_STATES, 0, 0 },
  { CBC_ACTION_DECIDE_EXTENSION, OPEN_STATES, 0, 0 },
  { CBC_ACTION_SUBMIT, S(RECTIFYING), CBC_HAZARD_PENDING_VERIFICATION, 0 },
  { CBC_ACTION_VERIFY_PASS, S(PENDING_VERIFICATION), CBC_HAZARD_CLOSED, CBC__FSM_DELISTS },
  { CBC_ACTION_VERIFY_FAIL, S(PENDING_VERIFICATION), CBC_HAZARD_RECTIFYING,
    CBC__FSM_COUNTS_REOPEN },
  { CBC_ACTION_REOPEN, S(CLOSED), CBC_HAZARD_RECTIFYING, CBC__FSM_COUNTS_REOPEN },
  { CBC_ACTION_FILE_PLAN, OPEN_STATES, 0, 0 },
  /* corrections (cbc_hazard_amend) until closure; the state does not change */
  { CBC_ACTION_AMEND, OPEN_STATES | S(PENDING_VERIFICATION), 0, 0 },
};

#define N_TRANSITIONS (sizeof(table) / sizeof(table[0]))

const cbc__transition *cbc__fsm_table(size_t *count)
{
  *count = N_TRANSITIONS;
  return table;
}

/* The names of states, actions and levels are in lib/label.c. */

int cbc__fsm_step(const cbc__transition **out, cbc_hazard_state state, cbc_hazard_action action)
{
  *out = NULL;
  const char *aname = cbc_hazard_action_name(action);
  if (!aname)
    return cbc__error(CBC_EINVAL, "unknown hazard action %d", (int)action);
  if (state != 0 && !cbc_hazard_state_name(state))
    return cbc__error(CBC_EINVAL, "unknown hazard state %d", (int)state);
  for (size_t i = 0; i < N_TRANSITIONS; i++) {
    if (table[i].action == action && (table[i].from & (1u << state))) {
      *out = &table[i];
      return 0;
    }
  }
  if (state == 0)
    return cbc__error(CBC_ESTATE, "%s is not possible before a hazard is reported", aname);
  return cbc__error(CBC_ESTATE, "%s is not allowed in state %s", aname,
                    cbc_hazard_state_name(state));
}

CBC_EXTERN(int) cbc_hazard_transition(cbc_hazard_state *out_to, cbc_hazard_state from,
                                      cbc_hazard_action action)
{
  CBC__CHECK_ARG(out_to);
  const cbc__transition *t;
  int rc = cbc__fsm_step(&t, from, action);
  if (!rc)
    *out_to = t->to ? t->to : from;
  return rc;
}

/* Append to a growing string; returns false when out of memory. */
static bool append(char **buf, size_t *len, size_t *cap, const char *text)
{
  size_t n = strlen(text);
  if (*len + n + 1 > *cap) {
    size_t c = *cap ? *cap * 2 : 1024;
    while (c < *len + n + 1)
      c *= 2;
    char *b = cbc__realloc(*buf, c);
    if (!b)
      return false;
    *buf = b;
    *cap = c;
  }
  memcpy(*buf + *len, text, n + 1);
  *len += n;
  return true;
}

static void edge_label(char *label, size_t size, const cbc__transition *t)
{
  char name[64];
  snprintf(name, sizeof(name), "%s", cbc_hazard_action_name(t->action));
  for (char *p = name; *p; p++)
    *p = (char)(*p == '_' ? ' ' : *p + ('a' - 'A') * (*p >= 'A' && *p <= 'Z'));
  snprintf(label, size, "%s%s%s%s", name, (t->flags & CBC__FSM_MAJOR_ONLY) ? " (major)" : "",
           (t->flags & CBC__FSM_LEVEL_UP) ? " (level+1)" : "",
           (t->flags & CBC__FSM_COUNTS_REOPEN) ? " (reopen+1)" : "");
}

CBC_EXTERN(int) cbc_hazard_fsm_dot(char **out)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  char *buf = NULL, line[256], label[128];
  size_t len = 0, cap = 0;
  bool ok = append(&buf, &len, &cap,
                   "digraph hazard_lifecycle {\n  rankdir=LR;\n  node [shape=box];\n"
                   "  start [shape=point];\n");
  for (size_t i = 0; ok && i < N_TRANSITIONS; i++) {
    const cbc__transition *t = &table[i];
    edge_label(label, sizeof(label), t);
    for (int s = 0; ok && s <= CBC_HAZARD_REJECTED; s++) {
      if (!(t->from & (1u << s)))
        continue;
      const char *from = s ? cbc_hazard_state_name((cbc_hazard_state)s) : "start";
      const char *to = t->to ? cbc_hazard_state_name(t->to) : from;
      snprintf(line, sizeof(line), "  %s -> %s [label=\"%s\"];\n", from, to, label);
      ok = append(&buf, &len, &cap, line);
    }
  }
  ok = ok && append(&buf, &len, &cap, "}\n");
  if (!ok) {
    cbc__free(buf);
    return cbc__error_oom();
  }
  *out = buf;
  return 0;
}
