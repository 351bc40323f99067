/* The reward policy (include/cbc/reward.h, docs/rewards.md): one table of
 * keys drives the defaults, the parsing with its checks, and the canonical
 * document that is stored. */
#include "reward_internal.h"
#include "org_scope.h"
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef enum key_type { AMOUNT, RATE, COUNT, FLAG, DAY } key_type;

#define MAX_COUNT 1000000

/* Every key: its rule (NULL: top level), name, type, field and default. */
static const struct policy_key {
  const char *rule, *name;
  key_type type;
  size_t field;
  double fallback;
} keys[] = {
  { NULL, "responsible_reporter_rewarded", FLAG, offsetof(cbc__policy, responsible_rewarded), 0 },
  /* the monthly form's due day (include/cbc/filing.h): of its own month, or of the next */
  { NULL, "monthly_form_due_day", DAY, offsetof(cbc__policy, form_due_day), 25 },
  { NULL, "monthly_form_due_next_month", FLAG, offsetof(cbc__policy, form_due_next_month), 0 },
  /* the major-hazard report's: days after the day the hazard was reported */
  { NULL, "major_hazard_report_days", COUNT, offsetof(cbc__policy, major_report_days), 1 },
  { "major_hazard", "amount_fen", AMOUNT, offsetof(cbc__policy, amount[CBC_RULE_MAJOR_HAZARD]),
    50000 },
  { "general_hazard", "amount_fen", AMOUNT,
    offsetof(cbc__policy, amount[CBC_RULE_GENERAL_HAZARD]), 0 },
  { "hotline_tip", "amount_fen", AMOUNT, offsetof(cbc__policy, amount[CBC_RULE_HOTLINE_TIP]),
    20000 },
  /* a share of the hazard's administrative penalty instead (cbc_hazard_record_penalty) */
  { "hotline_tip", "percent_of_fine", RATE, offsetof(cbc__policy, tip_percent), 0 },
  { "hotline_tip", "min_fen", AMOUNT, offsetof(cbc__policy, tip_min), 0 },
  { "hotline_tip", "max_fen", AMOUNT, offsetof(cbc__policy, tip_max), 0 },
  { "hotline_tip", "major_only", FLAG, offsetof(cbc__policy, tip_major_only), 0 },
  { "adopted_proposal", "amount_fen", AMOUNT, offsetof(cbc__policy, amount[CBC_RULE_PROPOSAL]),
    10000 },
  { "labour_medal", "enabled", FLAG, offsetof(cbc__policy, medal_on), 1 },
  { "labour_medal", "major_hazards", COUNT, offsetof(cbc__policy, medal_major), 1 },
  { "worker_pioneer", "enabled", FLAG, offsetof(cbc__policy, pioneer_on), 1 },
  { "worker_pioneer", "hazards_closed", COUNT, offsetof(cbc__policy, pioneer_closed), 5 },
  { "worker_pioneer", "on_time_rate", RATE, offsetof(cbc__policy, pioneer_on_time), 90 },
  { "worker_pioneer", "training_coverage", RATE, offsetof(cbc__policy, pioneer_training), 100 },
  { "worker_pioneer", "drill_coverage", RATE, offsetof(cbc__policy, pioneer_drill), 100 },
  { "worker_pioneer", "overdue_major", COUNT, offsetof(cbc__policy, pioneer_overdue_major), 0 },
  { "ankang_cup", "enabled", FLAG, offsetof(cbc__policy, cup_on), 1 },
  { "ankang_cup", "training_coverage", RATE, offsetof(cbc__policy, cup_training), 100 },
  { "ankang_cup", "drills", COUNT, offsetof(cbc__policy, cup_drills), 2 },
  { "ankang_cup", "drill_team_participation", RATE, offsetof(cbc__policy, cup_drill_teams),
    100 },
  { "ankang_cup", "disposal_rate", RATE, offsetof(cbc__policy, cup_disposal), 95 },
  { "ankang_cup", "months_without_data", COUNT,
    offsetof(cbc__policy, cup_months_without_data), 0 },
  /* "monthly reports filed on time" from filings (include/cbc/filing.h) */
  { "ankang_cup", "reports_from_filings", FLAG, offsetof(cbc__policy, cup_from_filings), 0 },
  { "ankang_cup", "months_not_filed_on_time", COUNT,
    offsetof(cbc__policy, cup_months_not_filed), 0 },
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* cbc_reward_rule_name() is in lib/label.c. */

static void set_value(cbc__policy *p, const struct policy_key *k, double v)
{
  char *at = (char *)p + k->field;
  if (k->type == FLAG)
    *(bool *)at = v != 0;
  else if (k->type == RATE)
    *(double *)at = v;
  else
    *(int64_t *)at = (int64_t)v;
}

static double get_value(const cbc__policy *p, const struct policy_key *k)
{
  const char *at = (const char *)p + k->field;
  if (k->type == FLAG)
    return *(const bool *)at;
  if (k->type == RATE)
    return *(const double *)at;
  return (double)*(const int64_t *)at;
}

static void defaults(cbc__policy *p)
{
  memset(p, 0, sizeof(*p));
  p->version = 1;
  for (size_t i = 0; i < N_KEYS; i++)
    set_value(p, &keys[i], keys[i].fallback);
}

/* ---------------------------------------------------------------- parse */

static int bad(const struct policy_key *k, const char *what)
{
  if (k->rule)
    return cbc__error(CBC_EINVAL, "policy: %s.%s %s", k->rule, k->name, what);
  return cbc__error(CBC_EINVAL, "policy: %s %s", k->name, what);
}

static int read_value(cbc__policy *p, const struct policy_key *k, json_t *v)
{
  if (k->type == FLAG) {
    if (!json_is_boolean(v))
      return bad(k, "must be true or false");
    set_value(p, k, json_is_true(v));
    return 0;
  }
  if (k->type == RATE) {
    if (!json_is_number(v))
      return bad(k, "must be a number (percent)");
    double r = json_number_value(v);
    if (!(r >= 0 && r <= 100))
      return bad(k, "is a rate in percent: 0..100");
    set_value(p, k, r);
    return 0;
  }
  if (!json_is_integer(v))
    return bad(k, k->type == AMOUNT ? "must be a whole number of fen" : "must be a whole number");
  json_int_t n = json_integer_value(v);
  if (k->type == DAY && (n < 1 || n > 31))
    return bad(k, "is a day of the month: 1..31 (a later day than the month has is its last)");
  if (n < 0)
    return bad(k, k->type == AMOUNT ? "is an amount: it may not be negative"
                                    : "is a count: it may not be negative");
  if (n > (k->type == AMOUNT ? CBC_MAX_AMOUNT_FEN : MAX_COUNT))
    return bad(k, "is too large");
  set_value(p, k, (double)n);
  return 0;
}

static const struct policy_key *find_key(const char *rule, const char *name)
{
  for (size_t i = 0; i < N_KEYS; i++)
    if (((!rule && !keys[i].rule) || (rule && keys[i].rule && !strcmp(rule, keys[i].rule))) &&
        !strcmp(name, keys[i].name))
      return &keys[i];
  return NULL;
}

static bool known_rule(const char *name)
{
  for (int r = CBC_RULE_MAJOR_HAZARD; r <= CBC_RULE_ANKANG_CUP; r++)
    if (!strcmp(name, cbc_reward_rule_name((cbc_reward_rule)r)))
      return true;
  return false;
}

static int read_rule(cbc__policy *p, const char *rule, json_t *obj)
{
  const char *name;
  json_t *v;
  if (!json_is_object(obj))
    return cbc__error(CBC_EINVAL, "policy: rule %s must be an object", rule);
  json_object_foreach(obj, name, v) {
    const struct policy_key *k = find_key(rule, name);
    if (!k)
      return cbc__error(CBC_EINVAL, "policy: unknown key '%s' in rule %s", name, rule);
    int rc = read_value(p, k, v);
    if (rc)
      return rc;
  }
  return 0;
}

static int read_rules(cbc__policy *p, json_t *rules)
{
  const char *rule;
  json_t *obj;
  if (!json_is_object(rules))
    return cbc__error(CBC_EINVAL, "policy: rules must be an object");
  json_object_foreach(rules, rule, obj) {
    if (!known_rule(rule))
      return cbc__error(CBC_EINVAL, "policy: unknown rule '%s'", rule);
    int rc = read_rule(p, rule, obj);
    if (rc)
      return rc;
  }
  return 0;
}

/* Parse a document over the defaults. */
static int parse(const char *json, cbc__policy *p)
{
  json_error_t err;
  defaults(p);
  json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &err);
  if (!root)
    return cbc__error(CBC_EINVAL, "policy: malformed JSON at line %d, column %d: %s", err.line,
                      err.column, err.text);
  int rc = json_is_object(root) ? 0 : cbc__error(CBC_EINVAL, "policy: not a JSON object");
  const char *name;
  json_t *v;
  json_object_foreach(root, name, v) {
    if (rc)
      break;
    const struct policy_key *k = find_key(NULL, name);
    if (!strcmp(name, "rules"))
      rc = read_rules(p, v);
    else if (k)
      rc = read_value(p, k, v);
    else
      rc = cbc__error(CBC_EINVAL, "policy: unknown key '%s'", name);
  }
  json_decref(root);
  return rc;
}

/* ----------------------------------------------------------- canonical */

static json_t *value_json(const cbc__policy *p, const struct policy_key *k)
{
  double v = get_value(p, k);
  if (k->type == FLAG)
    return json_boolean(v != 0);
  if (k->type == RATE)
    return json_real(v);
  return json_integer((json_int_t)v);
}

/* The complete document of @p p, in the table's order. */
static int canonical(const cbc__policy *p, char **out)
{
  json_t *root = json_object(), *rules = json_object();
  bool ok = root && rules && json_object_set(root, "rules", rules) == 0;
  for (size_t i = 0; i < N_KEYS && ok; i++) {
    json_t *parent = root;
    if (keys[i].rule) {
      parent = json_object_get(rules, keys[i].rule);
      if (!parent) {
        parent = json_object();
        ok = parent && json_object_set_new(rules, keys[i].rule, parent) == 0;
      }
    }
    ok = ok && json_object_set_new(parent, keys[i].name, value_json(p, &keys[i])) == 0;
  }
  json_decref(rules);
  if (!ok) {
    json_decref(root);
    root = NULL;
  }
  return cbc__json_dump(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER, out);
}

/* ---------------------------------------------------------------- API */

CBC_EXTERN(int) cbc_policy_defaults(char **out)
{
  CBC__CHECK_ARG(out);
  cbc__policy p;
  defaults(&p);
  return canonical(&p, out);
}

/* The presets: the keys each sets over the defaults (docs/rewards.md). */
static const struct {
  const char *name, *json;
} presets[] = {
  /* 安全生产领域举报奖励办法 (安监总财〔2018〕19号) art. 11: 15 % of the
   * penalty for a major hazard, 3,000 to 300,000 yuan */
  { "whistleblower_2018", "{\"rules\": {\"hotline_tip\": {\"amount_fen\": 0,"
    " \"percent_of_fine\": 15, \"min_fen\": 300000, \"max_fen\": 30000000,"
    " \"major_only\": true}}}" },
};

CBC_EXTERN(int) cbc_policy_preset(char **out, const char *name)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  CBC__CHECK_ARG(name);
  for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
    cbc__policy p;
    if (strcmp(name, presets[i].name) != 0)
      continue;
    int rc = parse(presets[i].json, &p);
    return rc ? rc : canonical(&p, out);
  }
  return cbc__error(CBC_ENOTFOUND, "no policy preset '%s' (presets: whistleblower_2018)", name);
}

/* The stored document of @p version (0: the newest), or the defaults'
 * when nothing is stored and it asks for 0 or 1. */
static int document(cbc_db *db, int64_t version, char **out, int64_t *out_version)
{
  bool found;
  int rc = cbc_store__policy_get(db->store, version, out, out_version, &found);
  if (rc || found)
    return rc;
  int64_t newest;
  rc = cbc_store__policy_newest(db->store, &newest);
  if (!rc && newest == 0 && version <= 1) {
    *out_version = 1;
    return cbc_policy_defaults(out);
  }
  return rc ? rc : cbc__error(CBC_ENOTFOUND, "no policy version %lld", (long long)version);
}

CBC_EXTERN(int) cbc_policy_get(char **out, int64_t *out_version, cbc_db *db, int64_t version)
{
  CBC__CHECK_ARG(out);
  *out = NULL;
  int64_t v = 0;
  int rc = cbc__db_check(db);
  if (!rc && version < 0)
    rc = cbc__error(CBC_EINVAL, "a policy version is positive, or 0 for the current one");
  if (!rc)
    rc = document(db, version, out, &v);
  if (!rc && out_version)
    *out_version = v;
  return rc;
}

int cbc__policy_version(cbc_db *db, int64_t version, cbc__policy *out)
{
  char *text = NULL;
  int64_t found;
  int rc = document(db, version, &text, &found);
  if (!rc)
    rc = parse(text, out);
  cbc__free(text);
  if (!rc)
    out->version = found;
  return rc;
}

int cbc__policy_current(cbc_db *db, cbc__policy *out)
{
  uint64_t generation = cbc_store__org_generation(db->store);
  if (db->policy && db->policy_generation == generation) {
    *out = *db->policy;
    return 0;
  }
  int rc = cbc__policy_version(db, 0, out);
  if (rc)
    return rc;
  if (!db->policy)
    db->policy = cbc__malloc(sizeof(*db->policy));
  if (db->policy) {
    *db->policy = *out;
    db->policy_generation = generation;
  }
  return 0;
}

void cbc__policy_cache_free(cbc_db *db)
{
  cbc__free(db->policy);
  db->policy = NULL;
}

int cbc__policy_store_first(cbc_db *db)
{
  int64_t newest;
  int rc = cbc_store__policy_newest(db->store, &newest);
  if (rc || newest)
    return rc;
  char *text;
  cbc__policy p;
  defaults(&p);
  rc = canonical(&p, &text);
  if (!rc)
    rc = cbc_store__policy_put(db->store, 1, text, 0, cbc_db_now(db));
  cbc__free(text);
  return rc;
}

int cbc__union_over_check(cbc_db *db, int64_t unit_id, int64_t actor_id, const char *doing)
{
  cbc__actor a;
  bool over = false;
  int rc = cbc__actor_of(db, actor_id, &a);
  if (!rc && a.active && (a.roles & CBC_ROLE_UNION_CADRE) && a.place.kind == CBC_UNIT_REGION)
    rc = cbc_store__unit_within(db->store, unit_id, a.place.unit, &over);
  if (rc || over)
    return rc;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", actor_id, who);
  return cbc__error(CBC_EPERM, "%s may not %s unit %lld: a union cadre over the unit does "
                               "(one sitting in a region node at or above it)", who, doing,
                    (long long)unit_id);
}

typedef struct set_args {
  const char *json;
  int64_t actor_id;
} set_args;

int cbc__cadre_check(cbc_db *db, int64_t actor_id)
{
  cbc__actor a;
  int rc = cbc__actor_of(db, actor_id, &a);
  if (rc || (a.active && (a.roles & CBC_ROLE_UNION_CADRE)))
    return rc;
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, "employee", actor_id, who);
  return cbc__error(CBC_EPERM, "%s is not an active union cadre", who);
}

static int policy_set(cbc_db *db, const void *args, int64_t *out_version)
{
  const set_args *a = args;
  cbc__policy p;
  char *text = NULL;
  int64_t newest;
  size_t len = strlen(a->json);
  int rc = len > CBC_MAX_POLICY ? cbc__error(CBC_EINVAL, "policy: over %d bytes", CBC_MAX_POLICY)
                                : 0;
  if (!rc)
    rc = parse(a->json, &p); /* jansson checks the UTF-8; newlines and tabs are JSON's */
  if (!rc)
    rc = cbc__cadre_check(db, a->actor_id);
  if (!rc)
    rc = canonical(&p, &text);
  if (!rc)
    rc = cbc__policy_store_first(db);
  if (!rc)
    rc = cbc_store__policy_newest(db->store, &newest);
  if (!rc) {
    *out_version = newest + 1;
    rc = cbc_store__policy_put(db->store, newest + 1, text, a->actor_id, cbc_db_now(db));
  }
  cbc__free(text);
  cbc__policy_cache_free(db);
  return rc;
}

CBC_EXTERN(int) cbc_policy_set(int64_t *out_version, cbc_db *db, const char *json,
                               int64_t actor_id)
{
  CBC__CHECK_ARG(json);
  set_args a = { json, actor_id };
  return cbc__db_write_call(db, 0, policy_set, &a, out_version);
}

