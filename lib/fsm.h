/* The hazard state machine and the authorization rules: pure tables and
 * functions over plain structs, no I/O, no SQL (lib/fsm.c).  Not exported. */
#ifndef CBC_FSM_H
#define CBC_FSM_H

#include "internal.h"

/* Conditions a transition adds beyond its from-states. */
enum {
  CBC__FSM_MAJOR_ONLY = 1u << 0,    /* only major hazards */
  CBC__FSM_LEVEL_UP = 1u << 1,      /* moves the hazard one level up */
  CBC__FSM_COUNTS_REOPEN = 1u << 2, /* counts a reopen */
  CBC__FSM_DELISTS = 1u << 3,       /* ends listed supervision */
  CBC__FSM_SYSTEM_ONLY = 1u << 4    /* no person may make it (the sweep does) */
};

typedef struct cbc__transition {
  cbc_hazard_action action;
  unsigned int from;      /* bit (1 << state) per allowed state; bit 0 = no hazard yet */
  cbc_hazard_state to;    /* 0 = the state does not change */
  unsigned int flags;
} cbc__transition;

/* The transition for @p action from @p state (0 = not yet reported), or
 * CBC_ESTATE naming the state and the action. */
int cbc__fsm_step(const cbc__transition **out, cbc_hazard_state state, cbc_hazard_action action);
/* The whole table, for tests and the DOT rendering. */
const cbc__transition *cbc__fsm_table(size_t *count);

/* What is known about an actor relative to one hazard, computed by the
 * caller from the org tree. */
typedef struct cbc__actor_facts {
  int64_t id;          /* 0 = the system (overdue sweep) or anonymous */
  unsigned int roles;
  bool active;
  bool same_team;       /* the actor's team is the hazard's team */
  bool same_workshop;   /* the actor sits under the hazard's workshop */
  bool same_enterprise; /* the actor sits under the hazard's enterprise */
  bool in_region;       /* the actor sits in a region node above the hazard */
  bool is_responsible;  /* the hazard's current responsible person */
  bool is_submitter;    /* submitted the rectification now under verification */
} cbc__actor_facts;

/* What the rules need of the hazard. */
typedef struct cbc__hazard_facts {
  cbc_severity severity;  /* proposed severity while REPORTED */
  cbc_level level;        /* for REGISTER: the level asked for */
  bool listed;
  /* AMEND (cbc_hazard_amend): what the correction changes */
  bool amends_record;        /* any field but a later deadline */
  bool amends_later_deadline; /* the deadline, to after the current one */
} cbc__hazard_facts;

/* 0 when the actor may make the move, else CBC_EPERM naming the rule. */
int cbc__authz_check(cbc_hazard_action action, const cbc__actor_facts *actor,
                     const cbc__hazard_facts *hazard);

/* What is known about a person named (or resolved) as a hazard's
 * responsible person, relative to the hazard's unit: the facts of an actor
 * (roles, active, same team/workshop/enterprise), and where the person sits
 * for the levels.  A hazard reported on a workshop has no team: its
 * workshop stands for the team; one reported on the enterprise itself has
 * its enterprise stand for both. */
typedef struct cbc__responsible_facts {
  cbc__actor_facts person;
  bool is_reporter;   /* the hazard's (named) reporter */
  bool in_team;       /* sits under the hazard's team */
  bool in_workshop;   /* sits under the hazard's workshop */
} cbc__responsible_facts;

/* 0 when the person may be responsible for the hazard at @p level, else
 * CBC_EINVAL naming the rule (a bad argument: nobody is acting yet). */
int cbc__authz_responsible(const cbc__responsible_facts *person, cbc_level level);

/* What is known about the hazard a report is rejected as a duplicate of. */
typedef struct cbc__original_facts {
  bool exists;
  bool is_self;         /* the report itself */
  bool rejected;        /* itself rejected */
  bool same_enterprise; /* of the report's enterprise */
} cbc__original_facts;

/* 0 when hazard @p original_id may be the original of a duplicate, else
 * CBC_EINVAL with a message naming duplicate_of and the rule. */
int cbc__authz_duplicate(int64_t original_id, const cbc__original_facts *original);

/* What the rule for voiding an activity record needs: the actor's facts
 * relative to the record's unit (same team, workshop, enterprise; in a
 * region node over it), the authority level its unit stands for (TEAM,
 * WORKSHOP or ENTERPRISE by its kind; 0 for a region node), and the
 * record's own person (a visit's cadre, a proposal's proposer). */
typedef struct cbc__void_facts {
  cbc__actor_facts actor;
  cbc_activity_kind kind;
  cbc_level level;
  bool is_author;
  bool decided; /* a proposal already decided */
} cbc__void_facts;

/* 0 when the actor may void the record, else CBC_EPERM naming the rule
 * (docs/activities.md, "Voiding"). */
int cbc__authz_void(const cbc__void_facts *f);

/* 0 when the actor may record a training session or drill (or assign or
 * release a union cadre, kind CBC_ACTIVITY_ASSIGNMENT) on the unit the
 * facts describe (is_author and decided unused), else CBC_EPERM naming the
 * rule (docs/activities.md, "Who may record"); CBC_EINVAL for a visit or
 * proposal, which their own person records. */
int cbc__authz_record(const cbc__void_facts *f);

#endif
