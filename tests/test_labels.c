/* Names and labels (include/cbc/label.h), the modules' _name() functions,
 * the form's fields and its labelled JSON, the period helpers of
 * include/cbc/stats.h, and the _init() functions of 1.2. */
#include "helpers.h"
#include "internal.h" /* cbc__utf8_valid */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t now = 1700000000;

/* Every type with the values its header declares, in order. */
static const struct expected_type {
  cbc_enum_type type;
  int first, last; /* contiguous, or bits from first to last */
  int bits;
} expected[] = {
  { CBC_ENUM_UNIT_KIND, CBC_UNIT_REGION, CBC_UNIT_TEAM, 0 },
  { CBC_ENUM_ROLE, CBC_ROLE_WORKER, CBC_ROLE_BUREAU_INSPECTOR, 1 },
  { CBC_ENUM_LEVEL, CBC_LEVEL_INDIVIDUAL, CBC_LEVEL_ENTERPRISE, 0 },
  { CBC_ENUM_HAZARD_STATE, CBC_HAZARD_REPORTED, CBC_HAZARD_REJECTED, 0 },
  { CBC_ENUM_HAZARD_ACTION, CBC_ACTION_REPORT, CBC_ACTION_AMEND, 0 },
  { CBC_ENUM_SEVERITY, CBC_SEVERITY_GENERAL, CBC_SEVERITY_MAJOR, 0 },
  { CBC_ENUM_HAZARD_KIND, CBC_HAZARD_HARD, CBC_HAZARD_SOFT, 0 },
  { CBC_ENUM_HAZARD_CATEGORY, CBC_CATEGORY_SAFETY, CBC_CATEGORY_OCCUPATIONAL_HEALTH, 0 },
  { CBC_ENUM_CHECK_ITEM, CBC_CHECK_RULES, CBC_CHECK_KEY_POINT_CONTROL, 0 },
  { CBC_ENUM_HAZARD_SOURCE, CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SUPERVISION_VISIT, 0 },
  { CBC_ENUM_ATTACHMENT_STAGE, CBC_STAGE_REPORT, CBC_STAGE_VERIFICATION, 0 },
  { CBC_ENUM_TRAINING_KIND, CBC_TRAINING_ALL_STAFF, CBC_TRAINING_WARNING_EDUCATION, 0 },
  { CBC_ENUM_PROPOSAL_STATUS, CBC_PROPOSAL_SUBMITTED, CBC_PROPOSAL_NOT_ADOPTED, 0 },
  { CBC_ENUM_TRAINING_NEED_REASON, CBC_NEED_INDUCTION, CBC_NEED_LONG_ABSENCE, 0 },
  { CBC_ENUM_REWARD_RULE, CBC_RULE_MAJOR_HAZARD, CBC_RULE_ANKANG_CUP, 0 },
  { CBC_ENUM_SUBJECT_KIND, CBC_SUBJECT_EMPLOYEE, CBC_SUBJECT_UNIT, 0 },
  { CBC_ENUM_AWARD_STATE, CBC_AWARD_PROPOSED, CBC_AWARD_DECLINED, 0 },
  { CBC_ENUM_PERIOD_KIND, CBC_PERIOD_MONTH, CBC_PERIOD_RANGE, 0 },
  { CBC_ENUM_STATS_DIMENSION, CBC_DIM_SEVERITY, CBC_DIM_RESOLVED_LEVEL, 0 },
  { CBC_ENUM_EMPLOYEE_EVENT_KIND, CBC_EMPLOYEE_JOINED, CBC_EMPLOYEE_RETURNED, 0 },
  { CBC_ENUM_RECORD_KIND, CBC_RECORD_UNIT, CBC_RECORD_EMPLOYEE, 0 },
  { CBC_ENUM_FORM_FIELD, CBC_STATS_FIELD_UNITS_RAN, CBC_STATS_FIELD_HAZARDS_RECTIFIED, 0 },
  { CBC_ENUM_ACTIVITY_KIND, CBC_ACTIVITY_TRAINING, CBC_ACTIVITY_ASSIGNMENT, 0 },
  { CBC_ENUM_FINDING_KIND, CBC_FINDING_FILE, CBC_FINDING_STATS, 0 },
  { CBC_ENUM_HAZARD_SORT, CBC_HAZARD_SORT_REPORTED, CBC_HAZARD_SORT_UPDATED, 0 },
  { CBC_ENUM_BREAKDOWN_FIGURE, CBC_FIGURE_REPORTED, CBC_FIGURE_DISPOSAL_RATE, 0 },
  { CBC_ENUM_AWARD_STEP, CBC_AWARD_STEP_APPROVE, CBC_AWARD_STEP_REVIEW, 0 },
  { CBC_ENUM_HAZARD_TABLE_FIGURE, CBC_HT_UNITS_CHECKED, CBC_HT_PLAN_FUNDS_FEN, 0 },
  { CBC_ENUM_FILING_KIND, CBC_FILING_MONTHLY_FORM, CBC_FILING_CONGRESS_REPORT, 0 },
  { CBC_ENUM_FILING_STATE, CBC_FILING_ON_TIME, CBC_FILING_PENDING, 0 },
  { CBC_ENUM_HISTORY_KIND, CBC_HISTORY_HAZARD, CBC_HISTORY_PENALTY, 0 },
  { CBC_ENUM_HISTORY_FAULT, CBC_HISTORY_SOUND, CBC_HISTORY_CHECKPOINT_DIFFERS, 0 },
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static bool is_name(const char *s)
{
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return false;
  return *s != '\0';
}

static bool has_non_ascii(const char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80)
      return true;
  return false;
}

static void upper(char *out, const char *s)
{
  for (; *s; s++)
    *out++ = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
  *out = '\0';
}

/* One type: its values are the header's, each with a name and a label,
 * unique, that parse back; the values around them have neither. */
static void check_type(const struct expected_type *e)
{
  const int *values;
  size_t count;
  assert_cbc_ok(cbc_enum_values(&values, &count, e->type));
  size_t want = 0;
  for (int v = e->first; v <= e->last; v = e->bits ? v << 1 : v + 1)
    assert_int_equal(values[want++], v);
  assert_int_equal(count, want);
  for (size_t i = 0; i < count; i++) {
    const char *name = cbc_enum_name(e->type, values[i]);
    const char *label = cbc_enum_label(e->type, values[i]);
    assert_non_null(name);
    assert_non_null(label);
    assert_true(is_name(name));
    assert_true(has_non_ascii(label) && cbc__utf8_valid(label, strlen(label)));
    for (size_t j = 0; j < i; j++) {
      assert_string_not_equal(name, cbc_enum_name(e->type, values[j]));
      assert_string_not_equal(label, cbc_enum_label(e->type, values[j]));
    }
    int got = -99;
    char caps[64];
    upper(caps, name);
    assert_cbc_ok(cbc_enum_parse(&got, e->type, name));
    assert_int_equal(got, values[i]);
    got = -99;
    assert_cbc_ok(cbc_enum_parse(&got, e->type, caps));
    assert_int_equal(got, values[i]);
    got = -99;
    assert_cbc_ok(cbc_enum_parse(&got, e->type, label));
    assert_int_equal(got, values[i]);
  }
  int outside[] = { e->first - 1, -1, e->bits ? e->last << 1 : e->last + 1, e->bits ? 3 : 1000 };
  for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
    assert_null(cbc_enum_name(e->type, outside[i]));
    assert_null(cbc_enum_label(e->type, outside[i]));
  }
}

static void test_every_value_has_a_name_and_a_label(void **state)
{
  (void)state;
  for (size_t i = 0; i < N_EXPECTED; i++) {
    assert_int_equal(expected[i].type, (int)i + 1); /* every type, in order */
    check_type(&expected[i]);
  }
  const int *values;
  size_t count;
  cbc_enum_type unknown[] = { (cbc_enum_type)0, (cbc_enum_type)(CBC_ENUM_HISTORY_FAULT + 1),
                              (cbc_enum_type)-1 };
  for (size_t i = 0; i < 3; i++) {
    assert_null(cbc_enum_name(unknown[i], 1));
    assert_null(cbc_enum_label(unknown[i], 1));
    assert_cbc_error(cbc_enum_values(&values, &count, unknown[i]), CBC_EINVAL, "enum type");
    int v;
    assert_cbc_error(cbc_enum_parse(&v, unknown[i], "x"), CBC_EINVAL, "enum type");
  }
  assert_cbc_error(cbc_enum_values(NULL, &count, CBC_ENUM_LEVEL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_enum_values(&values, NULL, CBC_ENUM_LEVEL), CBC_EINVAL, NULL);
}

static void test_names_and_labels_by_example(void **state)
{
  (void)state;
  assert_string_equal(cbc_enum_name(CBC_ENUM_SEVERITY, CBC_SEVERITY_MAJOR), "major");
  assert_string_equal(cbc_enum_label(CBC_ENUM_SEVERITY, CBC_SEVERITY_MAJOR), "重大隐患");
  assert_string_equal(cbc_enum_name(CBC_ENUM_HAZARD_STATE, CBC_HAZARD_PENDING_VERIFICATION),
                      "pending_verification");
  assert_string_equal(cbc_enum_label(CBC_ENUM_CHECK_ITEM, CBC_CHECK_KEY_POINT_CONTROL),
                      "现场关键点控制");
  assert_string_equal(cbc_enum_name(CBC_ENUM_ROLE, CBC_ROLE_UNION_CADRE), "union_cadre");
  assert_string_equal(cbc_enum_label(CBC_ENUM_ROLE, CBC_ROLE_UNION_CADRE), "工会干部");
  assert_string_equal(cbc_enum_name(CBC_ENUM_TRAINING_KIND, CBC_TRAINING_ALL_STAFF),
                      "all_staff");
  assert_string_equal(cbc_enum_label(CBC_ENUM_FORM_FIELD, CBC_STATS_FIELD_HAZARDS_FOUND),
                      "查出安全隐患数");
}

static void test_parse(void **state)
{
  (void)state;
  int v = -99;
  assert_cbc_ok(cbc_enum_parse(&v, CBC_ENUM_SEVERITY, "Major"));
  assert_int_equal(v, CBC_SEVERITY_MAJOR);
  /* the 1.0 spellings of the modules' _name() functions are accepted */
  assert_cbc_ok(cbc_enum_parse(&v, CBC_ENUM_HAZARD_STATE, "PENDING_VERIFICATION"));
  assert_int_equal(v, CBC_HAZARD_PENDING_VERIFICATION);
  assert_cbc_ok(cbc_enum_parse(&v, CBC_ENUM_TRAINING_KIND, "all staff"));
  assert_int_equal(v, CBC_TRAINING_ALL_STAFF);
  assert_cbc_ok(cbc_enum_parse(&v, CBC_ENUM_TRAINING_KIND, "Re-Training"));
  assert_int_equal(v, CBC_TRAINING_RETRAINING);
  /* a name that fits another type only, or nothing, is refused: the message
   * lists the accepted names; *out is untouched */
  v = -99;
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_SEVERITY, "hard"), CBC_EINVAL,
                   "unknown severity 'hard' (one of: general, major)");
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_SEVERITY, ""), CBC_EINVAL, "general, major");
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_SEVERITY, " major"), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_SEVERITY, "majo"), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_SEVERITY, "majorx"), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_SEVERITY, "重大"), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_HAZARD_ACTION, "start"), 0, NULL);
  v = -99;
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_LEVEL, "INDIVIDUALS"), CBC_EINVAL,
                   "individual, team, workshop, enterprise");
  assert_int_equal(v, -99);
  assert_cbc_error(cbc_enum_parse(NULL, CBC_ENUM_LEVEL, "team"), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_LEVEL, NULL), CBC_EINVAL, NULL);
  char longer[600];
  memset(longer, 'x', sizeof(longer) - 1);
  longer[sizeof(longer) - 1] = '\0';
  assert_cbc_error(cbc_enum_parse(&v, CBC_ENUM_HAZARD_ACTION, longer), CBC_EINVAL, "report");
}

/* The modules' _name() functions give exactly what they gave in 1.0. */
static void test_module_names_unchanged(void **state)
{
  (void)state;
  static const char *const units[] = { "region", "enterprise", "workshop", "team" };
  for (int i = 0; i < 4; i++)
    assert_string_equal(cbc_unit_kind_name((cbc_unit_kind)(i + 1)), units[i]);
  static const char *const roles[] = { "worker", "team_leader", "workshop_director",
                                       "safety_officer", "principal", "employee_rep",
                                       "expert", "union_cadre", "bureau_inspector" };
  for (int i = 0; i < 9; i++)
    assert_string_equal(cbc_role_name(1u << i), roles[i]);
  static const char *const levels[] = { "INDIVIDUAL", "TEAM", "WORKSHOP", "ENTERPRISE" };
  for (int i = 0; i < 4; i++)
    assert_string_equal(cbc_level_name((cbc_level)(i + 1)), levels[i]);
  static const char *const states[] = { "REPORTED", "REGISTERED", "RECTIFYING",
                                        "PENDING_VERIFICATION", "CLOSED", "REJECTED" };
  for (int i = 0; i < 6; i++)
    assert_string_equal(cbc_hazard_state_name((cbc_hazard_state)(i + 1)), states[i]);
  static const char *const actions[] = {
    "REPORT", "REJECT", "REGISTER", "START", "ESCALATE", "LIST_SUPERVISION",
    "REQUEST_EXTENSION", "DECIDE_EXTENSION", "SUBMIT", "VERIFY_PASS", "VERIFY_FAIL", "REOPEN",
    "ESCALATE_OVERDUE", "FILE_PLAN", "AMEND"
  };
  for (int i = 0; i < 15; i++)
    assert_string_equal(cbc_hazard_action_name((cbc_hazard_action)(i + 1)), actions[i]);
  static const char *const trainings[] = { "all staff", "enterprise induction",
                                           "workshop induction", "team induction",
                                           "re-training", "leader class",
                                           "special operation", "warning education" };
  for (int i = 0; i < 8; i++)
    assert_string_equal(cbc_training_kind_name((cbc_training_kind)(i + 1)), trainings[i]);
  static const char *const rules[] = { "major_hazard", "general_hazard", "hotline_tip",
                                       "adopted_proposal", "labour_medal", "worker_pioneer",
                                       "ankang_cup" };
  for (int i = 0; i < 7; i++)
    assert_string_equal(cbc_reward_rule_name((cbc_reward_rule)(i + 1)), rules[i]);
  /* unknown values, and a role that is not exactly one bit */
  assert_null(cbc_unit_kind_name((cbc_unit_kind)5));
  assert_null(cbc_level_name((cbc_level)0));
  assert_null(cbc_hazard_state_name((cbc_hazard_state)7));
  assert_null(cbc_hazard_action_name((cbc_hazard_action)16));
  assert_null(cbc_training_kind_name((cbc_training_kind)9));
  assert_null(cbc_reward_rule_name((cbc_reward_rule)8));
  assert_null(cbc_role_name(0));
  assert_null(cbc_role_name(3));
  assert_null(cbc_role_name(1u << 9));
  assert_null(cbc_role_name(0x80000000u));
  unsigned int bits;
  assert_cbc_ok(cbc_roles_parse(&bits, "team_leader| worker ;bureau_inspector"));
  assert_int_equal(bits, CBC_ROLE_TEAM_LEADER | CBC_ROLE_WORKER | CBC_ROLE_BUREAU_INSPECTOR);
  assert_cbc_error(cbc_roles_parse(&bits, "boss"), CBC_EINVAL, "boss");
}

/* The _name() functions of 1.2 give the table's names. */
static void test_module_names_new(void **state)
{
  (void)state;
  for (int v = -1; v <= 20; v++) {
#define SAME(fn, type, t)                                                               \
    if (cbc_enum_name(type, v))                                                         \
      assert_string_equal(fn((t)v), cbc_enum_name(type, v));                            \
    else                                                                                \
      assert_null(fn((t)v));
    SAME(cbc_severity_name, CBC_ENUM_SEVERITY, cbc_severity)
    SAME(cbc_hazard_kind_name, CBC_ENUM_HAZARD_KIND, cbc_hazard_kind)
    SAME(cbc_hazard_category_name, CBC_ENUM_HAZARD_CATEGORY, cbc_hazard_category)
    SAME(cbc_check_item_name, CBC_ENUM_CHECK_ITEM, cbc_check_item)
    SAME(cbc_hazard_source_name, CBC_ENUM_HAZARD_SOURCE, cbc_hazard_source)
    SAME(cbc_attachment_stage_name, CBC_ENUM_ATTACHMENT_STAGE, cbc_attachment_stage)
    SAME(cbc_proposal_status_name, CBC_ENUM_PROPOSAL_STATUS, cbc_proposal_status)
    SAME(cbc_training_need_reason_name, CBC_ENUM_TRAINING_NEED_REASON,
         cbc_training_need_reason)
    SAME(cbc_subject_kind_name, CBC_ENUM_SUBJECT_KIND, cbc_subject_kind)
    SAME(cbc_award_state_name, CBC_ENUM_AWARD_STATE, cbc_award_state)
    SAME(cbc_award_step_name, CBC_ENUM_AWARD_STEP, cbc_award_step)
    SAME(cbc_period_kind_name, CBC_ENUM_PERIOD_KIND, cbc_period_kind)
    SAME(cbc_stats_dimension_name, CBC_ENUM_STATS_DIMENSION, cbc_stats_dimension)
    SAME(cbc_stats_field_name, CBC_ENUM_FORM_FIELD, cbc_stats_field)
    SAME(cbc_employee_event_kind_name, CBC_ENUM_EMPLOYEE_EVENT_KIND, cbc_employee_event_kind)
    SAME(cbc_record_kind_name, CBC_ENUM_RECORD_KIND, cbc_record_kind)
    SAME(cbc_hazard_sort_name, CBC_ENUM_HAZARD_SORT, cbc_hazard_sort)
    SAME(cbc_activity_kind_name, CBC_ENUM_ACTIVITY_KIND, cbc_activity_kind)
#undef SAME
  }
  /* kept by lib/check.c in capitals, like the hazard states */
  static const char *const findings[] = { "FILE", "HISTORY", "STATS" };
  for (int i = 0; i < 3; i++) {
    assert_string_equal(cbc_finding_kind_name((cbc_finding_kind)(i + 1)), findings[i]);
    int v;
    assert_cbc_ok(cbc_enum_parse(&v, CBC_ENUM_FINDING_KIND, findings[i]));
    assert_int_equal(v, i + 1);
  }
  assert_null(cbc_finding_kind_name((cbc_finding_kind)4));
  assert_string_equal(cbc_severity_name(CBC_SEVERITY_GENERAL), "general");
  assert_string_equal(cbc_hazard_source_name(CBC_SOURCE_HOTLINE), "hotline");
  assert_string_equal(cbc_proposal_status_name(CBC_PROPOSAL_NOT_ADOPTED), "not_adopted");
  /* the breakdown's dimension names of 1.0 */
  static const char *const dims[] = { "severity", "kind", "category", "check_item", "source",
                                      "resolved_level" };
  for (int i = 0; i < 6; i++)
    assert_string_equal(cbc_stats_dimension_name((cbc_stats_dimension)(i + 1)), dims[i]);
}

/* The fields run in struct order; their names are the form's JSON keys. */
static void test_form_fields_in_struct_order(void **state)
{
  (void)state;
  static const char *const keys[] = {
    "units_ran", "employees_took_part", "training_sessions", "employees_trained",
    "leader_classes", "leaders_trained", "units_assigned", "supervision_visits",
    "hazards_found", "hazards_listed", "hazards_rectified"
  };
  assert_int_equal(CBC_STATS_FIELD_COUNT, 11);
  /* a figure appended to the form must get a field */
  assert_int_equal(sizeof(cbc_stats_form), (3 + CBC_STATS_FIELD_COUNT) * sizeof(int64_t));
  cbc_stats_form f = { 777, 777, 777, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110 };
  assert_int_equal(f.units_ran, 100);
  assert_int_equal(f.hazards_listed, 109);
  assert_int_equal(f.hazards_rectified, 110);
  for (int i = 1; i <= CBC_STATS_FIELD_COUNT; i++) {
    assert_int_equal(cbc_stats_form_value(&f, (cbc_stats_field)i), 99 + i);
    assert_string_equal(cbc_enum_name(CBC_ENUM_FORM_FIELD, i), keys[i - 1]);
    assert_string_equal(cbc_stats_field_name((cbc_stats_field)i), keys[i - 1]);
  }
  assert_int_equal(cbc_stats_form_value(&f, (cbc_stats_field)0), -1);
  assert_int_equal(cbc_stats_form_value(&f, (cbc_stats_field)12), -1);
  assert_int_equal(cbc_stats_form_value(NULL, CBC_STATS_FIELD_UNITS_RAN), -1);
}

/* A breakdown's figures run in struct order; their names are its JSON and
 * CSV keys, and the renderings list them in that order. */
static void test_breakdown_figures_in_struct_order(void **state)
{
  (void)state;
  static const char *const keys[] = {
    "reported", "rejected", "rectified", "closed", "closed_on_time", "overdue_at_end",
    "reopens", "mean_days_to_close", "median_days_to_close", "rectification_rate",
    "on_time_rate", "disposal_rate"
  };
  assert_int_equal(CBC_BREAKDOWN_FIGURE_COUNT, 12);
  cbc_stats_breakdown b = { 777, 777, 777, 101, 102, 103, 104, 105, 106, 107,
                            108.5, 109.5, 0.25, 0.5, 0.75, 0, NULL };
  for (int i = 1; i <= CBC_BREAKDOWN_FIGURE_COUNT; i++)
    assert_string_equal(cbc_enum_name(CBC_ENUM_BREAKDOWN_FIGURE, i), keys[i - 1]);
  for (int i = 1; i <= CBC_FIGURE_REOPENS; i++)
    assert_true(cbc_stats_breakdown_value(&b, (cbc_breakdown_figure)i) == 100 + i);
  assert_true(cbc_stats_breakdown_value(&b, CBC_FIGURE_MEAN_DAYS_TO_CLOSE) == 108.5);
  assert_true(cbc_stats_breakdown_value(&b, CBC_FIGURE_MEDIAN_DAYS_TO_CLOSE) == 109.5);
  assert_true(cbc_stats_breakdown_value(&b, CBC_FIGURE_RECTIFICATION_RATE) == 0.25);
  assert_true(cbc_stats_breakdown_value(&b, CBC_FIGURE_ON_TIME_RATE) == 0.5);
  assert_true(cbc_stats_breakdown_value(&b, CBC_FIGURE_DISPOSAL_RATE) == 0.75);
  assert_true(cbc_stats_breakdown_value(&b, (cbc_breakdown_figure)0) == -1);
  assert_true(cbc_stats_breakdown_value(&b, (cbc_breakdown_figure)13) == -1);
  assert_true(cbc_stats_breakdown_value(NULL, CBC_FIGURE_REPORTED) == -1);
  assert_string_equal(cbc_enum_label(CBC_ENUM_BREAKDOWN_FIGURE, CBC_FIGURE_DISPOSAL_RATE), "处置率");

  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  b.unit_id = cbc_test_unit_id(db, "E1");
  b.from = cbc_test_date(2024, 1, 1);
  b.to = cbc_test_date(2024, 2, 1);
  char *json, *csv;
  assert_cbc_ok(cbc_stats_breakdown_render(&json, db, &b, CBC_STATS_JSON));
  assert_cbc_ok(cbc_stats_breakdown_render(&csv, db, &b, CBC_STATS_CSV));
  json_error_t err;
  json_t *root = json_loads(json, 0, &err);
  assert_non_null(root);
  json_t *figures = json_object_get(root, "figures");
  assert_int_equal(json_object_size(figures), CBC_BREAKDOWN_FIGURE_COUNT);
  const char *key;
  json_t *value;
  int i = 1;
  json_object_foreach(figures, key, value) { /* in the table's order */
    assert_string_equal(key, keys[i - 1]);
    assert_true(json_number_value(value) ==
                cbc_stats_breakdown_value(&b, (cbc_breakdown_figure)i));
    assert_non_null(strstr(csv, key));
    i++;
  }
  json_decref(root);
  cbc_free(json);
  cbc_free(csv);
  cbc_db_close(db);
}

/* The form's renderings take their keys and headings from the table; the
 * JSON carries the labels. */
static void test_form_renderings_use_the_table(void **state)
{
  (void)state;
  cbc_db *db = cbc_test_db(&now);
  cbc_test_seed_org(db);
  cbc_stats_form form = { cbc_test_unit_id(db, "E1"), cbc_test_date(2024, 1, 1),
                          cbc_test_date(2024, 2, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
  char *text, *json, *csv;
  assert_cbc_ok(cbc_stats_form_render(&text, db, &form, CBC_STATS_TEXT));
  assert_cbc_ok(cbc_stats_form_render(&json, db, &form, CBC_STATS_JSON));
  assert_cbc_ok(cbc_stats_form_render(&csv, db, &form, CBC_STATS_CSV));
  json_error_t err;
  json_t *root = json_loads(json, 0, &err);
  assert_non_null(root);
  json_t *figures = json_object_get(root, "figures"), *labels = json_object_get(root, "labels");
  assert_int_equal(json_object_size(figures), CBC_STATS_FIELD_COUNT);
  assert_int_equal(json_object_size(labels), CBC_STATS_FIELD_COUNT);
  const char *key;
  json_t *value;
  int i = 1;
  json_object_foreach(figures, key, value) { /* in form order */
    assert_string_equal(key, cbc_enum_name(CBC_ENUM_FORM_FIELD, i));
    assert_int_equal(json_integer_value(value), i);
    assert_string_equal(json_string_value(json_object_get(labels, key)),
                        cbc_enum_label(CBC_ENUM_FORM_FIELD, i));
    char line[200];
    snprintf(line, sizeof(line), ",%s,\"%s\",%d\r\n", key, cbc_enum_label(CBC_ENUM_FORM_FIELD, i),
             i);
    assert_non_null(strstr(csv, line));
    assert_non_null(strstr(text, cbc_enum_label(CBC_ENUM_FORM_FIELD, i)));
    i++;
  }
  assert_non_null(strstr(json, "\"labels\":{\"units_ran\":\"组织开展“查保促”集中行动单位数\","));
  /* The text starts with the title front ends head their forms with. */
  assert_string_equal(cbc_stats_form_title(), "“查保促”集中行动情况统计表");
  assert_memory_equal(text, cbc_stats_form_title(), strlen(cbc_stats_form_title()));
  json_decref(root);
  cbc_free(text);
  cbc_free(json);
  cbc_free(csv);
  cbc_db_close(db);
}

/* The labelled JSON under allocation failure: CBC_ENOMEM and no output, or
 * the whole document. */
static void test_form_json_allocation_failures(void **state)
{
  (void)state;
  long points = 0, stride = cbc_test_fault_stride();
  for (long n = 1;; n += stride) {
    cbc_test_alloc_install(0);
    cbc_db *db = cbc_test_db(&now);
    cbc_test_seed_org(db);
    cbc_stats_form form = { cbc_test_unit_id(db, "E1"), cbc_test_date(2024, 1, 1),
                            cbc_test_date(2024, 2, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    char *json = (char *)"unset";
    cbc_test_fail_after(n);
    int rc = cbc_stats_form_render(&json, db, &form, CBC_STATS_JSON);
    int failed = cbc_test_alloc_failed();
    cbc_test_fail_after(0);
    if (rc) {
      assert_int_equal(rc, CBC_ENOMEM);
      assert_null(json);
    } else {
      assert_non_null(strstr(json, "\"hazards_rectified\":\"整改完成\"}"));
    }
    cbc_free(json);
    cbc_db_close(db);
    cbc_test_alloc_uninstall();
    if (!failed) {
      assert_cbc_ok(rc);
      break;
    }
    points++;
  }
  print_message("%ld allocation failure points\n", points);
  assert_true(points * stride >= 5);
}

/* ------------------------------------------------------------ periods */

static cbc_db *db_at_offset(int offset)
{
  cbc_db_options opts = CBC_DB_OPTIONS_INIT;
  opts.utc_offset_seconds = offset;
  opts.clock = cbc_test_clock;
  opts.clock_payload = &now;
  cbc_db *db = NULL;
  assert_cbc_ok(cbc_db_open(&db, ":memory:", &opts));
  return db;
}

static bool same_period(const cbc_period *a, const cbc_period *b)
{
  return a->kind == b->kind && a->year == b->year && a->number == b->number &&
         a->from == b->from && a->to == b->to;
}

static void assert_period(const cbc_period *p, cbc_period_kind kind, int year, int number,
                          int64_t from, int64_t to)
{
  assert_int_equal(p->kind, kind);
  assert_int_equal(p->year, year);
  assert_int_equal(p->number, number);
  assert_int_equal(p->from, from);
  assert_int_equal(p->to, to);
}

static void test_period_containing(void **state)
{
  (void)state;
  cbc_db *db = db_at_offset(8 * 3600);
  cbc_period p;
  int64_t nov1 = cbc_test_date(2026, 11, 1); /* local midnight, UTC+8 */
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_MONTH, nov1));
  assert_period(&p, CBC_PERIOD_MONTH, 2026, 11, 0, 0);
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_MONTH, nov1 - 1));
  assert_period(&p, CBC_PERIOD_MONTH, 2026, 10, 0, 0);
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_QUARTER, nov1));
  assert_period(&p, CBC_PERIOD_QUARTER, 2026, 4, 0, 0);
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_QUARTER, nov1 - 1));
  assert_period(&p, CBC_PERIOD_QUARTER, 2026, 4, 0, 0);
  int64_t jan1 = cbc_test_date(2027, 1, 1);
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_YEAR, jan1 - 1));
  assert_period(&p, CBC_PERIOD_YEAR, 2026, 0, 0, 0);
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_QUARTER, jan1));
  assert_period(&p, CBC_PERIOD_QUARTER, 2027, 1, 0, 0);
  /* the period's bounds contain the time, for every kind and many times */
  for (int64_t t = 0; t < CBC_TIME_MAX - 86400; t += 7777777) {
    for (int k = CBC_PERIOD_MONTH; k <= CBC_PERIOD_YEAR; k++) {
      int64_t from, to;
      assert_cbc_ok(cbc_period_containing(&p, db, (cbc_period_kind)k, t));
      assert_cbc_ok(cbc_period_bounds(&from, &to, db, &p));
      assert_true(from <= t && t < to);
    }
  }
  /* the epoch is 1970-01-01 08:00 here; the last second is 10000-01-01 */
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_YEAR, 0));
  assert_period(&p, CBC_PERIOD_YEAR, 1970, 0, 0, 0);
  assert_cbc_error(cbc_period_containing(&p, db, CBC_PERIOD_YEAR, CBC_TIME_MAX), CBC_EINVAL,
                   "10000");
  assert_cbc_error(cbc_period_containing(&p, db, CBC_PERIOD_YEAR, -1), CBC_EINVAL, "negative");
  assert_cbc_error(cbc_period_containing(&p, db, CBC_PERIOD_YEAR, CBC_TIME_MAX + 1), CBC_EINVAL,
                   NULL);
  assert_cbc_error(cbc_period_containing(&p, db, CBC_PERIOD_RANGE, 0), CBC_EINVAL, "kind");
  assert_cbc_error(cbc_period_containing(&p, db, (cbc_period_kind)0, 0), CBC_EINVAL, "kind");
  assert_cbc_error(cbc_period_containing(NULL, db, CBC_PERIOD_YEAR, 0), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_period_containing(&p, NULL, CBC_PERIOD_YEAR, 0), CBC_EINVAL, NULL);
  cbc_db_close(db);
  db = db_at_offset(-5 * 3600);
  assert_cbc_error(cbc_period_containing(&p, db, CBC_PERIOD_MONTH, 0), CBC_EINVAL, "1969");
  assert_cbc_ok(cbc_period_containing(&p, db, CBC_PERIOD_MONTH, CBC_TIME_MAX));
  assert_period(&p, CBC_PERIOD_MONTH, 9999, 12, 0, 0);
  cbc_db_close(db);
}

static void test_period_parse(void **state)
{
  (void)state;
  cbc_db *db = db_at_offset(8 * 3600);
  cbc_period p;
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-11"));
  assert_period(&p, CBC_PERIOD_MONTH, 2026, 11, 0, 0);
  assert_cbc_ok(cbc_period_parse(&p, db, "  2026-1\t"));
  assert_period(&p, CBC_PERIOD_MONTH, 2026, 1, 0, 0);
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-Q4"));
  assert_period(&p, CBC_PERIOD_QUARTER, 2026, 4, 0, 0);
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-q1"));
  assert_period(&p, CBC_PERIOD_QUARTER, 2026, 1, 0, 0);
  assert_cbc_ok(cbc_period_parse(&p, db, "2026"));
  assert_period(&p, CBC_PERIOD_YEAR, 2026, 0, 0, 0);
  assert_cbc_ok(cbc_period_parse(&p, db, "1970"));
  assert_cbc_ok(cbc_period_parse(&p, db, "9999-12"));
  /* whole local days, both included */
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-11-01..2026-11-15"));
  assert_period(&p, CBC_PERIOD_RANGE, 0, 0, cbc_test_date(2026, 11, 1),
                cbc_test_date(2026, 11, 16));
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-11-01..2026-11-01"));
  assert_period(&p, CBC_PERIOD_RANGE, 0, 0, cbc_test_date(2026, 11, 1),
                cbc_test_date(2026, 11, 2));
  assert_cbc_ok(cbc_period_parse(&p, db, "2024-2-29..2024-3-1"));
  /* times, the last second included; offsets Z, ±HH:MM, ±HH:MM:SS or the database's */
  int64_t nov1 = cbc_test_date(2026, 11, 1);
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-11-01T08:00:00+08:00..2026-11-01T17:59:59+08:00"));
  assert_period(&p, CBC_PERIOD_RANGE, 0, 0, nov1 + 8 * 3600, nov1 + 18 * 3600);
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-11-01T00:00Z..2026-11-01T08:00"));
  assert_period(&p, CBC_PERIOD_RANGE, 0, 0, nov1 + 8 * 3600, nov1 + 8 * 3600 + 1);
  assert_cbc_ok(cbc_period_parse(&p, db, "2026-10-31t23:00:00-01:00:30..2026-11-15"));
  assert_period(&p, CBC_PERIOD_RANGE, 0, 0, nov1 + 8 * 3600 + 30, cbc_test_date(2026, 11, 16));
  /* bad input: a clear error, and *out untouched */
  static const struct { const char *text, *needle; } bad[] = {
    { "2026-13", "does not fit a month" },
    { "2026-0", "does not fit a month" },
    { "2026-Q5", "does not fit a quarter" },
    { "2026-Q0", "does not fit a quarter" },
    { "2026-Q", "is not a period" },
    { "2026-Q12", "is not a period" },
    { "2026-11-15..2026-11-01", "ends before it starts" },
    { "2026-11-01T10:00..2026-11-01T09:59:58", "ends before it starts" },
    { "26-11", "is not a period: write a month 2026-11, a quarter 2026-Q4, a year 2026, or a "
               "range of days 2026-11-01..2026-11-15" },
    { "", "is not a period" },
    { "   ", "is not a period" },
    { "2026-11x", "is not a period" },
    { "2026-11 x", "is not a period" },
    { "2026-11-01..2026-11-15x", "is not a period" },
    { "2026-11-01..", "is not a period" },
    { "..2026-11-01", "is not a period" },
    { "2026-11-01...2026-11-02", "is not a period" },
    { "2026-11-01..2026-11-02..2026-11-03", "is not a period" },
    { "2026-02-29..2026-03-01", "is not a period" },
    { "2026-11-31..2026-12-01", "is not a period" },
    { "2026-11-01T24:00..2026-11-02", "is not a period" },
    { "2026-11-01T08:00+25:00..2026-11-02", "is not a period" },
    { "2026-11-01T08:00+08..2026-11-02", "is not a period" },
    { "20261", "is not a period" },
    { "+2026", "is not a period" },
    { "2026-11-01", "is not a period" },
    { "1969", "outside 1970..9999" },
    { "1969-12", "outside 1970..9999" },
    { "10000", "is not a period" },
    { "0000-Q1", "outside 1970..9999" },
    { "1970-01-01..1970-01-02", "negative" },   /* midnight at UTC+8 is 1969 in UTC */
    { "9999-12-31..9999-12-31", NULL },          /* fits: ends 10000-01-01 at +8 */
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    cbc_period before = { CBC_PERIOD_YEAR, 1234, 0, 5, 6 };
    p = before;
    int rc = cbc_period_parse(&p, db, bad[i].text);
    if (!bad[i].needle) {
      assert_cbc_ok(rc);
      continue;
    }
    if (rc != CBC_EINVAL || !strstr(cbc_error_last()->message, bad[i].needle))
      fail_msg("'%s': rc %d, '%s'", bad[i].text, rc, cbc_error_last()->message);
    assert_true(same_period(&p, &before));
  }
  char huge[300];
  memset(huge, '1', sizeof(huge) - 1);
  huge[sizeof(huge) - 1] = '\0';
  assert_cbc_error(cbc_period_parse(&p, db, huge), CBC_EINVAL, "is not a period");
  assert_cbc_error(cbc_period_parse(NULL, db, "2026"), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_period_parse(&p, db, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_period_parse(&p, NULL, "2026"), CBC_EINVAL, NULL);
  cbc_db_close(db);
}

static void test_period_format(void **state)
{
  (void)state;
  cbc_db *db = db_at_offset(8 * 3600);
  char buf[CBC_PERIOD_TEXT_MAX];
  cbc_period m = { CBC_PERIOD_MONTH, 2026, 1, 0, 0 }, q = { CBC_PERIOD_QUARTER, 2026, 4, 0, 0 },
             y = { CBC_PERIOD_YEAR, 1970, 0, 0, 0 };
  assert_cbc_ok(cbc_period_format(buf, sizeof(buf), db, &m));
  assert_string_equal(buf, "2026-01");
  assert_cbc_ok(cbc_period_format(buf, sizeof(buf), db, &q));
  assert_string_equal(buf, "2026-Q4");
  assert_cbc_ok(cbc_period_format(buf, sizeof(buf), db, &y));
  assert_string_equal(buf, "1970");
  int64_t nov1 = cbc_test_date(2026, 11, 1);
  cbc_period days = { CBC_PERIOD_RANGE, 0, 0, nov1, cbc_test_date(2026, 11, 16) };
  assert_cbc_ok(cbc_period_format(buf, sizeof(buf), db, &days));
  assert_string_equal(buf, "2026-11-01..2026-11-15");
  cbc_period times = { CBC_PERIOD_RANGE, 0, 0, nov1 + 8 * 3600, nov1 + 18 * 3600 };
  assert_cbc_ok(cbc_period_format(buf, sizeof(buf), db, &times));
  assert_string_equal(buf, "2026-11-01T08:00:00+08:00..2026-11-01T17:59:59+08:00");
  /* the last second of all, at +8, is in the local year 10000: written in UTC */
  cbc_period last = { CBC_PERIOD_RANGE, 0, 0, CBC_TIME_MAX - 10, CBC_TIME_MAX + 1 };
  assert_cbc_ok(cbc_period_format(buf, sizeof(buf), db, &last));
  assert_string_equal(buf, "9999-12-31T23:59:49Z..9999-12-31T23:59:59Z");
  /* a buffer too small: CBC_EINVAL, and "" */
  assert_cbc_error(cbc_period_format(buf, 7, db, &m), CBC_EINVAL, "too small");
  assert_string_equal(buf, "");
  assert_cbc_ok(cbc_period_format(buf, 8, db, &m));
  assert_cbc_error(cbc_period_format(buf, 22, db, &days), CBC_EINVAL, "CBC_PERIOD_TEXT_MAX");
  assert_string_equal(buf, "");
  assert_cbc_ok(cbc_period_format(buf, 23, db, &days));
  /* bad periods and arguments */
  cbc_period bad[] = { { CBC_PERIOD_MONTH, 2026, 13, 0, 0 }, { CBC_PERIOD_QUARTER, 1969, 1, 0, 0 },
                       { CBC_PERIOD_RANGE, 0, 0, 10, 10 }, { (cbc_period_kind)9, 2026, 1, 0, 0 },
                       { CBC_PERIOD_RANGE, 0, 0, -1, 10 } };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    strcpy(buf, "junk");
    assert_cbc_error(cbc_period_format(buf, sizeof(buf), db, &bad[i]), CBC_EINVAL, NULL);
    assert_string_equal(buf, "");
  }
  assert_cbc_error(cbc_period_format(NULL, 10, db, &m), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_period_format(buf, 0, db, &m), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_period_format(buf, sizeof(buf), db, NULL), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_period_format(buf, sizeof(buf), NULL, &m), CBC_EINVAL, NULL);
  cbc_db_close(db);
}

/* xorshift64*: the same sequence on every machine. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Du;
}
static int64_t rnd_in(int64_t lo, int64_t hi)
{
  return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* A random valid period: calendar periods, ranges of whole local days and
 * ranges of arbitrary seconds, near the ends of time too. */
static cbc_period random_period(cbc_db *db)
{
  int off = cbc_db_utc_offset(db);
  cbc_period p = { (cbc_period_kind)rnd_in(CBC_PERIOD_MONTH, CBC_PERIOD_RANGE), 0, 0, 0, 0 };
  if (p.kind != CBC_PERIOD_RANGE) {
    p.year = (int)rnd_in(1970, 9999);
    p.number = p.kind == CBC_PERIOD_MONTH ? (int)rnd_in(1, 12)
               : p.kind == CBC_PERIOD_QUARTER ? (int)rnd_in(1, 4) : 0;
    return p;
  }
  int64_t span = rnd() % 3 == 0 ? rnd_in(1, 100) : rnd_in(1, 86400 * 400);
  bool near_end = rnd() % 8 == 0;
  p.from = near_end ? CBC_TIME_MAX + 1 - span - rnd_in(0, 3) : rnd_in(0, CBC_TIME_MAX - span);
  p.to = p.from + span;
  if (rnd() % 2) { /* snap both ends to local midnights */
    p.from = ((p.from + off) / 86400 + 1) * 86400 - off;
    p.to = ((p.to + off) / 86400 + 1) * 86400 - off;
  }
  if (p.to > CBC_TIME_MAX + 1 || p.from < 0 || p.to <= p.from)
    return random_period(db);
  return p;
}

static void test_period_round_trip_random(void **state)
{
  (void)state;
  long checked = 0, days = 0, times = 0;
  for (int round = 0; round < 40; round++) {
    int off = round == 0 ? 0 : round == 1 ? 86399 : round == 2 ? -86399
              : round % 3 == 0 ? (int)rnd_in(-24, 24) * 1800 : (int)rnd_in(-86399, 86399);
    cbc_db *db = db_at_offset(off);
    for (int i = 0; i < 500; i++) {
      cbc_period p = random_period(db), back;
      char buf[CBC_PERIOD_TEXT_MAX];
      assert_cbc_ok(cbc_period_format(buf, sizeof(buf), db, &p));
      assert_true(strlen(buf) < CBC_PERIOD_TEXT_MAX);
      memset(&back, 0x5A, sizeof(back));
      if (cbc_period_parse(&back, db, buf) != 0)
        fail_msg("offset %d: '%s' (%d %d %d %lld %lld) does not parse: %s", off, buf, p.kind,
                 p.year, p.number, (long long)p.from, (long long)p.to,
                 cbc_error_last()->message);
      if (!same_period(&back, &p))
        fail_msg("offset %d: '%s' read back as %d %d %d %lld %lld, not %lld %lld", off, buf,
                 back.kind, back.year, back.number, (long long)back.from, (long long)back.to,
                 (long long)p.from, (long long)p.to);
      if (p.kind == CBC_PERIOD_RANGE)
        strchr(buf, 'T') ? times++ : days++;
      checked++;
    }
    cbc_db_close(db);
  }
  print_message("%ld periods round-tripped (%ld day ranges, %ld time ranges)\n", checked, days,
                times);
  assert_true(days > 1000 && times > 1000);
}

/* ------------------------------------------------------- _init() of 1.2 */

static void test_init_functions(void **state)
{
  (void)state;
  /* field by field: padding bytes are not defined */
  cbc_attachment a;
  memset(&a, 0x5A, sizeof(a));
  assert_cbc_ok(cbc_attachment_init(&a, CBC_ATTACHMENT_VERSION));
  assert_true(a.version == CBC_ATTACHMENT_VERSION && !a.uri && !a.media_type && a.size == 0 &&
              !a.sha256);
  assert_cbc_error(cbc_attachment_init(&a, 0), CBC_EINVAL, "cbc_attachment");
  assert_cbc_error(cbc_attachment_init(&a, CBC_ATTACHMENT_VERSION + 1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_attachment_init(NULL, CBC_ATTACHMENT_VERSION), CBC_EINVAL, NULL);

  cbc_hazard_record r;
  memset(&r, 0x5A, sizeof(r));
  assert_cbc_ok(cbc_hazard_record_init(&r, CBC_HAZARD_RECORD_VERSION));
  assert_true(r.version == CBC_HAZARD_RECORD_VERSION && r.reporter_id == 0 && !r.title &&
              r.kind == 0 && r.proposed_severity == 0 && !r.attachments &&
              r.n_attachments == 0 && !r.request_key);
  /* version 1 ends before request_key: nothing past it is written */
  memset(&r, 0x5A, sizeof(r));
  assert_cbc_ok(cbc_hazard_record_init(&r, 1));
  assert_int_equal(r.version, 1);
  assert_int_equal(r.n_attachments, 0);
  unsigned char tail[sizeof(r.request_key)];
  memset(tail, 0x5A, sizeof(tail));
  assert_memory_equal(&r.request_key, tail, sizeof(tail));
  assert_cbc_error(cbc_hazard_record_init(&r, 0), CBC_EINVAL, "cbc_hazard_record");
  assert_cbc_error(cbc_hazard_record_init(&r, CBC_HAZARD_RECORD_VERSION + 1), CBC_EINVAL,
                   NULL);
  assert_cbc_error(cbc_hazard_record_init(NULL, 1), CBC_EINVAL, NULL);

  cbc_hazard_registration g;
  memset(&g, 0x5A, sizeof(g));
  assert_cbc_ok(cbc_hazard_registration_init(&g, CBC_HAZARD_REGISTRATION_VERSION));
  assert_true(g.version == CBC_HAZARD_REGISTRATION_VERSION && g.severity == 0 &&
              g.level == 0 && g.responsible_id == 0 && !g.measures && g.funds_fen == 0 &&
              g.deadline == 0 && !g.contingency_plan && !g.plan);
  assert_cbc_error(cbc_hazard_registration_init(&g, 0), CBC_EINVAL, "cbc_hazard_registration");
  assert_cbc_error(cbc_hazard_registration_init(&g, CBC_HAZARD_REGISTRATION_VERSION + 1),
                   CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_registration_init(NULL, 1), CBC_EINVAL, NULL);

  cbc_hazard_filter f, all = CBC_HAZARD_FILTER_INIT;
  memset(&f, 0x5A, sizeof(f));
  assert_cbc_ok(cbc_hazard_filter_init(&f, CBC_HAZARD_FILTER_VERSION));
  assert_true(f.version == CBC_HAZARD_FILTER_VERSION && f.states == 0 && f.severity == 0 &&
              f.unit_id == 0 && f.closed_to == 0 && f.reported_from == all.reported_from);
  assert_cbc_error(cbc_hazard_filter_init(&f, 0), CBC_EINVAL, "cbc_hazard_filter");
  assert_cbc_error(cbc_hazard_filter_init(&f, CBC_HAZARD_FILTER_VERSION + 1), CBC_EINVAL, NULL);
  assert_cbc_error(cbc_hazard_filter_init(NULL, 1), CBC_EINVAL, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_value_has_a_name_and_a_label),
    cmocka_unit_test(test_names_and_labels_by_example),
    cmocka_unit_test(test_parse),
    cmocka_unit_test(test_module_names_unchanged),
    cmocka_unit_test(test_module_names_new),
    cmocka_unit_test(test_form_fields_in_struct_order),
    cmocka_unit_test(test_breakdown_figures_in_struct_order),
    cmocka_unit_test(test_form_renderings_use_the_table),
    cmocka_unit_test(test_form_json_allocation_failures),
    cmocka_unit_test(test_period_containing),
    cmocka_unit_test(test_period_parse),
    cmocka_unit_test(test_period_format),
    cmocka_unit_test(test_period_round_trip_random),
    cmocka_unit_test(test_init_functions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
