/* Names and Chinese labels of every enum value and form field
 * (include/cbc/label.h): one table, read by cbc_enum_*() and by every
 * module's cbc_*_name() function, so that the C API, the renderers and the
 * front ends cannot disagree. */
#include "internal.h"
#include <stdio.h>
#include <string.h>

/* One value: its stable name, its Chinese label, and the spelling its
 * module's _name() function gives when that differs from the name (NULL
 * otherwise): those functions kept their 1.0 spellings. */
typedef struct label_row {
  int value;
  const char *name;
  const char *label;
  const char *v1_name;
} label_row;

/* Each type is an X-macro list X(value, name, label, v1_name), expanded
 * once into its rows and once into its array of values. */
#define UNIT_KINDS(X)                                                   \
  X(CBC_UNIT_REGION, "region", "区域", NULL)                            \
  X(CBC_UNIT_ENTERPRISE, "enterprise", "企业", NULL)                    \
  X(CBC_UNIT_WORKSHOP, "workshop", "车间", NULL)                        \
  X(CBC_UNIT_TEAM, "team", "班组", NULL)

#define ROLES(X)                                                        \
  X(CBC_ROLE_WORKER, "worker", "职工", NULL)                            \
  X(CBC_ROLE_TEAM_LEADER, "team_leader", "班组长", NULL)                \
  X(CBC_ROLE_WORKSHOP_DIRECTOR, "workshop_director", "车间主任", NULL)  \
  X(CBC_ROLE_SAFETY_OFFICER, "safety_officer", "安全管理人员", NULL)    \
  X(CBC_ROLE_PRINCIPAL, "principal", "主要负责人", NULL)                \
  X(CBC_ROLE_EMPLOYEE_REP, "employee_rep", "职工代表", NULL)            \
  X(CBC_ROLE_EXPERT, "expert", "专家", NULL)                            \
  X(CBC_ROLE_UNION_CADRE, "union_cadre", "工会干部", NULL)              \
  X(CBC_ROLE_BUREAU_INSPECTOR, "bureau_inspector", "安全监管部门检查人员", NULL)

#define LEVELS(X)                                                       \
  X(CBC_LEVEL_INDIVIDUAL, "individual", "岗位", "INDIVIDUAL")           \
  X(CBC_LEVEL_TEAM, "team", "班组", "TEAM")                             \
  X(CBC_LEVEL_WORKSHOP, "workshop", "车间", "WORKSHOP")                 \
  X(CBC_LEVEL_ENTERPRISE, "enterprise", "企业", "ENTERPRISE")

#define HAZARD_STATES(X)                                                            \
  X(CBC_HAZARD_REPORTED, "reported", "已上报", "REPORTED")                          \
  X(CBC_HAZARD_REGISTERED, "registered", "已登记", "REGISTERED")                    \
  X(CBC_HAZARD_RECTIFYING, "rectifying", "整改中", "RECTIFYING")                    \
  X(CBC_HAZARD_PENDING_VERIFICATION, "pending_verification", "待验收",              \
    "PENDING_VERIFICATION")                                                         \
  X(CBC_HAZARD_CLOSED, "closed", "已销号", "CLOSED")                                \
  X(CBC_HAZARD_REJECTED, "rejected", "已驳回", "REJECTED")

#define HAZARD_ACTIONS(X)                                                               \
  X(CBC_ACTION_REPORT, "report", "上报", "REPORT")                                      \
  X(CBC_ACTION_REJECT, "reject", "驳回", "REJECT")                                      \
  X(CBC_ACTION_REGISTER, "register", "登记", "REGISTER")                                \
  X(CBC_ACTION_START, "start", "开始整改", "START")                                     \
  X(CBC_ACTION_ESCALATE, "escalate", "提级", "ESCALATE")                                \
  X(CBC_ACTION_LIST_SUPERVISION, "list_supervision", "挂牌督办", "LIST_SUPERVISION")    \
  X(CBC_ACTION_REQUEST_EXTENSION, "request_extension", "申请延期", "REQUEST_EXTENSION") \
  X(CBC_ACTION_DECIDE_EXTENSION, "decide_extension", "审批延期", "DECIDE_EXTENSION")    \
  X(CBC_ACTION_SUBMIT, "submit", "提交验收", "SUBMIT")                                  \
  X(CBC_ACTION_VERIFY_PASS, "verify_pass", "验收通过", "VERIFY_PASS")                   \
  X(CBC_ACTION_VERIFY_FAIL, "verify_fail", "验收不通过", "VERIFY_FAIL")                 \
  X(CBC_ACTION_REOPEN, "reopen", "回头看重新整改", "REOPEN")                            \
  X(CBC_ACTION_ESCALATE_OVERDUE, "escalate_overdue", "逾期提级", "ESCALATE_OVERDUE")    \
  X(CBC_ACTION_FILE_PLAN, "file_plan", "报送治理方案", "FILE_PLAN")                     \
  X(CBC_ACTION_AMEND, "amend", "更正", "AMEND")

#define SEVERITIES(X)                                                   \
  X(CBC_SEVERITY_GENERAL, "general", "一般隐患", NULL)                  \
  X(CBC_SEVERITY_MAJOR, "major", "重大隐患", NULL)

#define HAZARD_KINDS(X)                                                 \
  X(CBC_HAZARD_HARD, "hard", "硬隐患", NULL)                            \
  X(CBC_HAZARD_SOFT, "soft", "软隐患", NULL)

#define HAZARD_CATEGORIES(X)                                                        \
  X(CBC_CATEGORY_SAFETY, "safety", "安全隐患", NULL)                                \
  X(CBC_CATEGORY_OCCUPATIONAL_HEALTH, "occupational_health", "职业危害隐患", NULL)

#define CHECK_ITEMS(X)                                                                  \
  X(CBC_CHECK_RULES, "rules", "安全生产制度落实", NULL)                                 \
  X(CBC_CHECK_STANDARD_OPERATION, "standard_operation", "职工标准化作业", NULL)         \
  X(CBC_CHECK_EQUIPMENT_GUARDING, "equipment_guarding", "生产设备安全防护", NULL)       \
  X(CBC_CHECK_PROTECTIVE_EQUIPMENT, "protective_equipment", "劳动保护用品配备", NULL)   \
  X(CBC_CHECK_FIXED_POSITION, "fixed_position", "安全生产定置管理", NULL)               \
  X(CBC_CHECK_KEY_POINT_CONTROL, "key_point_control", "现场关键点控制", NULL)

#define HAZARD_SOURCES(X)                                                               \
  X(CBC_SOURCE_SELF_CHECK, "self_check", "职工排查", NULL)                              \
  X(CBC_SOURCE_EXPERT, "expert", "专家查找", NULL)                                      \
  X(CBC_SOURCE_REP_PATROL, "rep_patrol", "职工代表巡查", NULL)                          \
  X(CBC_SOURCE_TEAM_MUTUAL_CHECK, "team_mutual_check", "班组互查", NULL)                \
  X(CBC_SOURCE_SNAPSHOT, "snapshot", "随手拍", NULL)                                    \
  X(CBC_SOURCE_HOTLINE, "hotline", "有奖举报", NULL)                                    \
  X(CBC_SOURCE_SUPERVISION_VISIT, "supervision_visit", "督导检查", NULL)

#define ATTACHMENT_STAGES(X)                                            \
  X(CBC_STAGE_REPORT, "report", "上报", NULL)                           \
  X(CBC_STAGE_RECTIFICATION, "rectification", "整改", NULL)             \
  X(CBC_STAGE_VERIFICATION, "verification", "验收", NULL)

#define TRAINING_KINDS(X)                                                                   \
  X(CBC_TRAINING_ALL_STAFF, "all_staff", "全员安全培训", "all staff")                       \
  X(CBC_TRAINING_INDUCTION_ENTERPRISE, "enterprise_induction", "三级教育（厂级）",          \
    "enterprise induction")                                                                 \
  X(CBC_TRAINING_INDUCTION_WORKSHOP, "workshop_induction", "三级教育（车间级）",            \
    "workshop induction")                                                                   \
  X(CBC_TRAINING_INDUCTION_TEAM, "team_induction", "三级教育（班组级）", "team induction")  \
  X(CBC_TRAINING_RETRAINING, "retraining", "复训", "re-training")                           \
  X(CBC_TRAINING_LEADER_CLASS, "leader_class", "单位负责人培训班", "leader class")          \
  X(CBC_TRAINING_SPECIAL_OPERATION, "special_operation", "特种作业培训", "special operation") \
  X(CBC_TRAINING_WARNING_EDUCATION, "warning_education", "警示教育", "warning education")

#define PROPOSAL_STATUSES(X)                                            \
  X(CBC_PROPOSAL_SUBMITTED, "submitted", "待审议", NULL)                \
  X(CBC_PROPOSAL_ADOPTED, "adopted", "已采纳", NULL)                    \
  X(CBC_PROPOSAL_NOT_ADOPTED, "not_adopted", "未采纳", NULL)

#define TRAINING_NEED_REASONS(X)                                        \
  X(CBC_NEED_INDUCTION, "induction", "三级教育未完成", NULL)            \
  X(CBC_NEED_TRANSFER, "transfer", "转岗未复训", NULL)                  \
  X(CBC_NEED_LONG_ABSENCE, "long_absence", "长期离岗未复训", NULL)

#define REWARD_RULES(X)                                                         \
  X(CBC_RULE_MAJOR_HAZARD, "major_hazard", "重大隐患发现奖励", NULL)            \
  X(CBC_RULE_GENERAL_HAZARD, "general_hazard", "一般隐患发现奖励", NULL)        \
  X(CBC_RULE_HOTLINE_TIP, "hotline_tip", "有奖举报奖励", NULL)                  \
  X(CBC_RULE_PROPOSAL, "adopted_proposal", "合理化建议采纳奖励", NULL)          \
  X(CBC_RULE_LABOUR_MEDAL, "labour_medal", "劳动奖章推荐", NULL)                \
  X(CBC_RULE_WORKER_PIONEER, "worker_pioneer", "工人先锋号", NULL)              \
  X(CBC_RULE_ANKANG_CUP, "ankang_cup", "安康杯", NULL)

#define SUBJECT_KINDS(X)                                                \
  X(CBC_SUBJECT_EMPLOYEE, "employee", "职工", NULL)                     \
  X(CBC_SUBJECT_ANONYMOUS, "anonymous", "匿名举报人", NULL)             \
  X(CBC_SUBJECT_TEAM, "team", "班组", NULL)                             \
  X(CBC_SUBJECT_WORKSHOP, "workshop", "车间", NULL)                     \
  X(CBC_SUBJECT_UNIT, "unit", "企业", NULL)

#define AWARD_STATES(X)                                                 \
  X(CBC_AWARD_PROPOSED, "proposed", "待审批", NULL)                     \
  X(CBC_AWARD_APPROVED, "approved", "已批准", NULL)                     \
  X(CBC_AWARD_PAID, "paid", "已发放", NULL)                             \
  X(CBC_AWARD_DECLINED, "declined", "不予奖励", NULL)

#define AWARD_STEPS(X)                                                  \
  X(CBC_AWARD_STEP_APPROVE, "approve", "批准", NULL)                    \
  X(CBC_AWARD_STEP_PAY, "pay", "登记发放", NULL)                        \
  X(CBC_AWARD_STEP_DECLINE, "decline", "不予奖励", NULL)                \
  X(CBC_AWARD_STEP_REVIEW, "review", "复核", NULL)

#define PERIOD_KINDS(X)                                                 \
  X(CBC_PERIOD_MONTH, "month", "月度", NULL)                            \
  X(CBC_PERIOD_QUARTER, "quarter", "季度", NULL)                        \
  X(CBC_PERIOD_YEAR, "year", "年度", NULL)                              \
  X(CBC_PERIOD_RANGE, "range", "时间段", NULL)

#define STATS_DIMENSIONS(X)                                             \
  X(CBC_DIM_SEVERITY, "severity", "隐患等级", NULL)                     \
  X(CBC_DIM_KIND, "kind", "软硬隐患", NULL)                             \
  X(CBC_DIM_CATEGORY, "category", "隐患类别", NULL)                     \
  X(CBC_DIM_CHECK_ITEM, "check_item", "检查项目", NULL)                 \
  X(CBC_DIM_SOURCE, "source", "隐患来源", NULL)                         \
  X(CBC_DIM_RESOLVED_LEVEL, "resolved_level", "销号层级", NULL)

#define EMPLOYEE_EVENT_KINDS(X)                                         \
  X(CBC_EMPLOYEE_JOINED, "joined", "入职", NULL)                        \
  X(CBC_EMPLOYEE_TRANSFERRED, "transferred", "转岗", NULL)              \
  X(CBC_EMPLOYEE_LEFT, "left", "离职", NULL)                            \
  X(CBC_EMPLOYEE_RETURNED, "returned", "返岗", NULL)

#define RECORD_KINDS(X)                                                 \
  X(CBC_RECORD_UNIT, "unit", "单位", NULL)                              \
  X(CBC_RECORD_EMPLOYEE, "employee", "职工", NULL)

/* The official form's figures, in its order (= struct order); the names
 * are the keys the form's JSON and CSV have used since 1.0. */
#define FORM_FIELDS(X)                                                                          \
  X(CBC_STATS_FIELD_UNITS_RAN, "units_ran", "组织开展“查保促”集中行动单位数", NULL)             \
  X(CBC_STATS_FIELD_EMPLOYEES_TOOK_PART, "employees_took_part", "参与活动职工人数", NULL)       \
  X(CBC_STATS_FIELD_TRAINING_SESSIONS, "training_sessions", "安全生产培训次数", NULL)           \
  X(CBC_STATS_FIELD_EMPLOYEES_TRAINED, "employees_trained", "接受安全培训职工人数", NULL)       \
  X(CBC_STATS_FIELD_LEADER_CLASSES, "leader_classes", "单位负责人培训班次数", NULL)             \
  X(CBC_STATS_FIELD_LEADERS_TRAINED, "leaders_trained", "参加培训的单位负责人人数", NULL)       \
  X(CBC_STATS_FIELD_UNITS_ASSIGNED, "units_assigned", "工会干部包靠单位数", NULL)               \
  X(CBC_STATS_FIELD_SUPERVISION_VISITS, "supervision_visits", "工会干部督导人次", NULL)         \
  X(CBC_STATS_FIELD_HAZARDS_FOUND, "hazards_found", "查出安全隐患数", NULL)                     \
  X(CBC_STATS_FIELD_HAZARDS_LISTED, "hazards_listed", "挂牌督办", NULL)                         \
  X(CBC_STATS_FIELD_HAZARDS_RECTIFIED, "hazards_rectified", "整改完成", NULL)

#define ACTIVITY_KINDS(X)                                               \
  X(CBC_ACTIVITY_TRAINING, "training", "安全培训", NULL)                \
  X(CBC_ACTIVITY_DRILL, "drill", "应急演练", NULL)                      \
  X(CBC_ACTIVITY_VISIT, "visit", "督导检查", NULL)                      \
  X(CBC_ACTIVITY_PROPOSAL, "proposal", "合理化建议", NULL)              \
  X(CBC_ACTIVITY_ASSIGNMENT, "assignment", "工会干部包靠", NULL)

#define FINDING_KINDS(X)                                                \
  X(CBC_FINDING_FILE, "file", "数据库文件", "FILE")                     \
  X(CBC_FINDING_HISTORY, "history", "隐患履历", "HISTORY")              \
  X(CBC_FINDING_STATS, "stats", "统计汇总", "STATS")

#define HAZARD_SORTS(X)                                                 \
  X(CBC_HAZARD_SORT_REPORTED, "reported", "上报时间", NULL)             \
  X(CBC_HAZARD_SORT_DEADLINE, "deadline", "整改时限", NULL)             \
  X(CBC_HAZARD_SORT_UPDATED, "updated", "最近变动", NULL)

/* A breakdown's figures, in struct order; the names are the keys its JSON
 * and CSV have used since 1.0. */
#define BREAKDOWN_FIGURES(X)                                                     \
  X(CBC_FIGURE_REPORTED, "reported", "上报隐患数", NULL)                         \
  X(CBC_FIGURE_REJECTED, "rejected", "其中：已驳回", NULL)                       \
  X(CBC_FIGURE_RECTIFIED, "rectified", "其中：已整改", NULL)                     \
  X(CBC_FIGURE_CLOSED, "closed", "本期整改完成", NULL)                           \
  X(CBC_FIGURE_CLOSED_ON_TIME, "closed_on_time", "其中：按期完成", NULL)         \
  X(CBC_FIGURE_OVERDUE_AT_END, "overdue_at_end", "期末逾期未整改", NULL)         \
  X(CBC_FIGURE_REOPENS, "reopens", "复查不合格次数", NULL)                       \
  X(CBC_FIGURE_MEAN_DAYS_TO_CLOSE, "mean_days_to_close", "平均整改天数", NULL)   \
  X(CBC_FIGURE_MEDIAN_DAYS_TO_CLOSE, "median_days_to_close", "整改天数中位数", NULL) \
  X(CBC_FIGURE_RECTIFICATION_RATE, "rectification_rate", "整改率", NULL)         \
  X(CBC_FIGURE_ON_TIME_RATE, "on_time_rate", "按期整改率", NULL)                 \
  X(CBC_FIGURE_DISPOSAL_RATE, "disposal_rate", "处置率", NULL)

/* The hazard table's figures, in the statutory table's column order. */
#define HAZARD_TABLE_FIGURES(X)                                                        \
  X(CBC_HT_UNITS_CHECKED, "units_checked", "排查治理单位数", NULL)                     \
  X(CBC_HT_GENERAL_FOUND, "general_found", "一般事故隐患数", NULL)                     \
  X(CBC_HT_GENERAL_RECTIFIED, "general_rectified", "一般事故隐患已整改数", NULL)       \
  X(CBC_HT_MAJOR_FOUND, "major_found", "重大事故隐患数", NULL)                         \
  X(CBC_HT_MAJOR_RECTIFIED, "major_rectified", "重大事故隐患已整改销号数", NULL)       \
  X(CBC_HT_PLAN_MAJORS, "plan_majors", "列入治理计划的重大事故隐患数", NULL)           \
  X(CBC_HT_PLAN_GOALS, "plan_goals", "落实治理目标任务", NULL)                         \
  X(CBC_HT_PLAN_METHODS, "plan_methods", "落实治理方法和措施", NULL)                   \
  X(CBC_HT_PLAN_FUNDS_MATERIALS, "plan_funds_materials", "落实治理经费和物资", NULL)   \
  X(CBC_HT_PLAN_RESPONSIBLE, "plan_responsible", "落实治理机构和人员", NULL)           \
  X(CBC_HT_PLAN_TIME_LIMIT, "plan_time_limit", "落实治理时间和要求", NULL)             \
  X(CBC_HT_PLAN_SAFETY_MEASURES, "plan_safety_measures", "落实安全措施和应急预案", NULL) \
  X(CBC_HT_PLAN_FUNDS_FEN, "plan_funds_fen", "落实治理资金（分）", NULL)

#define FILING_KINDS(X)                                                                \
  X(CBC_FILING_MONTHLY_FORM, "monthly_form", "“查保促”集中行动情况统计表", NULL)        \
  X(CBC_FILING_HAZARD_TABLE, "hazard_table", "事故隐患排查治理情况统计分析表", NULL) \
  X(CBC_FILING_MAJOR_HAZARD_REPORT, "major_hazard_report", "重大事故隐患报告", NULL) \
  X(CBC_FILING_CONGRESS_REPORT, "congress_report", "向职工代表大会报告的事故隐患排查治理情况", NULL)

#define FILING_STATES(X)                                                \
  X(CBC_FILING_ON_TIME, "on_time", "按时报送", NULL)                    \
  X(CBC_FILING_LATE, "late", "逾期报送", NULL)                          \
  X(CBC_FILING_MISSING, "missing", "未报送", NULL)                      \
  X(CBC_FILING_PENDING, "pending", "未到报送期限", NULL)

#define HISTORY_KINDS(X)                                                \
  X(CBC_HISTORY_HAZARD, "hazard", "事故隐患报告", NULL)                 \
  X(CBC_HISTORY_HAZARD_EVENT, "hazard_event", "隐患处理记录", NULL)     \
  X(CBC_HISTORY_ATTACHMENT, "attachment", "隐患附件", NULL)             \
  X(CBC_HISTORY_EMPLOYEE_EVENT, "employee_event", "人员变动记录", NULL) \
  X(CBC_HISTORY_TRAINING, "training", "教育培训", NULL)                 \
  X(CBC_HISTORY_DRILL, "drill", "应急演练", NULL)                       \
  X(CBC_HISTORY_ASSIGNMENT, "assignment", "包靠安排", NULL)             \
  X(CBC_HISTORY_VISIT, "visit", "督导检查", NULL)                       \
  X(CBC_HISTORY_PROPOSAL, "proposal", "合理化建议", NULL)               \
  X(CBC_HISTORY_AWARD, "award", "奖励", NULL)                           \
  X(CBC_HISTORY_FINE, "fine", "内部罚单", NULL)                         \
  X(CBC_HISTORY_POLICY, "policy", "奖励政策版本", NULL)                 \
  X(CBC_HISTORY_FILING, "filing", "报送记录", NULL)                     \
  X(CBC_HISTORY_PENALTY, "penalty", "行政处罚", NULL)

#define HISTORY_FAULTS(X)                                                       \
  X(CBC_HISTORY_SOUND, "sound", "完整", NULL)                                   \
  X(CBC_HISTORY_LINK_ALTERED, "link_altered", "链被改动", NULL)                 \
  X(CBC_HISTORY_RECORD_ALTERED, "record_altered", "记录被改动", NULL)           \
  X(CBC_HISTORY_RECORD_MISSING, "record_missing", "记录被删除", NULL)           \
  X(CBC_HISTORY_RECORD_UNCHAINED, "record_unchained", "记录未入链", NULL)       \
  X(CBC_HISTORY_CHECKPOINT_DIFFERS, "checkpoint_differs", "与检查点不符", NULL)

#define AS_ROW(value, name, label, v1) { (int)(value), name, label, v1 },
#define AS_VALUE(value, name, label, v1) (int)(value),

/* A type's rows and values, named after its list. */
#define TYPE_TABLES(list)                                               \
  static const label_row list##_rows[] = { list(AS_ROW) };              \
  static const int list##_values[] = { list(AS_VALUE) };

TYPE_TABLES(UNIT_KINDS)
TYPE_TABLES(ROLES)
TYPE_TABLES(LEVELS)
TYPE_TABLES(HAZARD_STATES)
TYPE_TABLES(HAZARD_ACTIONS)
TYPE_TABLES(SEVERITIES)
TYPE_TABLES(HAZARD_KINDS)
TYPE_TABLES(HAZARD_CATEGORIES)
TYPE_TABLES(CHECK_ITEMS)
TYPE_TABLES(HAZARD_SOURCES)
TYPE_TABLES(ATTACHMENT_STAGES)
TYPE_TABLES(TRAINING_KINDS)
TYPE_TABLES(PROPOSAL_STATUSES)
TYPE_TABLES(TRAINING_NEED_REASONS)
TYPE_TABLES(REWARD_RULES)
TYPE_TABLES(SUBJECT_KINDS)
TYPE_TABLES(AWARD_STATES)
TYPE_TABLES(AWARD_STEPS)
TYPE_TABLES(PERIOD_KINDS)
TYPE_TABLES(STATS_DIMENSIONS)
TYPE_TABLES(EMPLOYEE_EVENT_KINDS)
TYPE_TABLES(RECORD_KINDS)
TYPE_TABLES(FORM_FIELDS)
TYPE_TABLES(ACTIVITY_KINDS)
TYPE_TABLES(FINDING_KINDS)
TYPE_TABLES(HAZARD_SORTS)
TYPE_TABLES(BREAKDOWN_FIGURES)
TYPE_TABLES(HAZARD_TABLE_FIGURES)
TYPE_TABLES(FILING_KINDS)
TYPE_TABLES(FILING_STATES)
TYPE_TABLES(HISTORY_KINDS)
TYPE_TABLES(HISTORY_FAULTS)

typedef struct label_type {
  const char *what; /* for messages */
  const label_row *rows;
  const int *values;
  size_t count;
} label_type;

#define TYPE(list, what) { what, list##_rows, list##_values, sizeof(list##_values) / sizeof(int) }

/* By cbc_enum_type. */
static const label_type types[] = {
  [CBC_ENUM_UNIT_KIND] = TYPE(UNIT_KINDS, "unit kind"),
  [CBC_ENUM_ROLE] = TYPE(ROLES, "role"),
  [CBC_ENUM_LEVEL] = TYPE(LEVELS, "level"),
  [CBC_ENUM_HAZARD_STATE] = TYPE(HAZARD_STATES, "hazard state"),
  [CBC_ENUM_HAZARD_ACTION] = TYPE(HAZARD_ACTIONS, "hazard action"),
  [CBC_ENUM_SEVERITY] = TYPE(SEVERITIES, "severity"),
  [CBC_ENUM_HAZARD_KIND] = TYPE(HAZARD_KINDS, "hazard kind"),
  [CBC_ENUM_HAZARD_CATEGORY] = TYPE(HAZARD_CATEGORIES, "hazard category"),
  [CBC_ENUM_CHECK_ITEM] = TYPE(CHECK_ITEMS, "check item"),
  [CBC_ENUM_HAZARD_SOURCE] = TYPE(HAZARD_SOURCES, "hazard source"),
  [CBC_ENUM_ATTACHMENT_STAGE] = TYPE(ATTACHMENT_STAGES, "attachment stage"),
  [CBC_ENUM_TRAINING_KIND] = TYPE(TRAINING_KINDS, "training kind"),
  [CBC_ENUM_PROPOSAL_STATUS] = TYPE(PROPOSAL_STATUSES, "proposal status"),
  [CBC_ENUM_TRAINING_NEED_REASON] = TYPE(TRAINING_NEED_REASONS, "training need reason"),
  [CBC_ENUM_REWARD_RULE] = TYPE(REWARD_RULES, "reward rule"),
  [CBC_ENUM_SUBJECT_KIND] = TYPE(SUBJECT_KINDS, "subject kind"),
  [CBC_ENUM_AWARD_STATE] = TYPE(AWARD_STATES, "award state"),
  [CBC_ENUM_PERIOD_KIND] = TYPE(PERIOD_KINDS, "period kind"),
  [CBC_ENUM_STATS_DIMENSION] = TYPE(STATS_DIMENSIONS, "statistics dimension"),
  [CBC_ENUM_EMPLOYEE_EVENT_KIND] = TYPE(EMPLOYEE_EVENT_KINDS, "employee event kind"),
  [CBC_ENUM_RECORD_KIND] = TYPE(RECORD_KINDS, "record kind"),
  [CBC_ENUM_FORM_FIELD] = TYPE(FORM_FIELDS, "form field"),
  [CBC_ENUM_ACTIVITY_KIND] = TYPE(ACTIVITY_KINDS, "activity kind"),
  [CBC_ENUM_FINDING_KIND] = TYPE(FINDING_KINDS, "finding kind"),
  [CBC_ENUM_HAZARD_SORT] = TYPE(HAZARD_SORTS, "hazard sort"),
  [CBC_ENUM_BREAKDOWN_FIGURE] = TYPE(BREAKDOWN_FIGURES, "breakdown figure"),
  [CBC_ENUM_AWARD_STEP] = TYPE(AWARD_STEPS, "award step"),
  [CBC_ENUM_HAZARD_TABLE_FIGURE] = TYPE(HAZARD_TABLE_FIGURES, "hazard table figure"),
  [CBC_ENUM_FILING_KIND] = TYPE(FILING_KINDS, "filing kind"),
  [CBC_ENUM_FILING_STATE] = TYPE(FILING_STATES, "filing state"),
  [CBC_ENUM_HISTORY_KIND] = TYPE(HISTORY_KINDS, "history record kind"),
  [CBC_ENUM_HISTORY_FAULT] = TYPE(HISTORY_FAULTS, "history fault"),
};
#define N_TYPES (sizeof(types) / sizeof(types[0]))

static const label_type *type_of(cbc_enum_type type)
{
  return type >= CBC_ENUM_UNIT_KIND && (size_t)type < N_TYPES ? &types[type] : NULL;
}

static const label_row *row_of(cbc_enum_type type, int value)
{
  const label_type *t = type_of(type);
  for (size_t i = 0; t && i < t->count; i++)
    if (t->rows[i].value == value)
      return &t->rows[i];
  return NULL;
}

CBC_EXTERN(const char *) cbc_enum_name(cbc_enum_type type, int value)
{
  const label_row *r = row_of(type, value);
  return r ? r->name : NULL;
}

CBC_EXTERN(const char *) cbc_enum_label(cbc_enum_type type, int value)
{
  const label_row *r = row_of(type, value);
  return r ? r->label : NULL;
}

/* What the modules' _name() functions give: their 1.0 spelling where it
 * differs. */
static const char *v1_name(cbc_enum_type type, int value)
{
  const label_row *r = row_of(type, value);
  return r ? r->v1_name ? r->v1_name : r->name : NULL;
}

static bool ascii_case_equal(const char *a, const char *b)
{
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
    if (x != y)
      return false;
  }
  return *a == *b;
}

static bool row_matches(const label_row *r, const char *text)
{
  return ascii_case_equal(r->name, text) || !strcmp(r->label, text) ||
         (r->v1_name && ascii_case_equal(r->v1_name, text));
}

/* "unknown severity 'x' (one of: general, major)". */
static int parse_error(const label_type *t, const char *text)
{
  char names[512];
  size_t len = 0;
  names[0] = '\0';
  for (size_t i = 0; i < t->count && len < sizeof(names); i++) {
    int n = snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "", t->rows[i].name);
    len += n > 0 ? (size_t)n : 0;
  }
  return cbc__error(CBC_EINVAL, "unknown %s '%.64s' (one of: %s)", t->what, text, names);
}

CBC_EXTERN(int) cbc_enum_parse(int *out, cbc_enum_type type, const char *text)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(text);
  const label_type *t = type_of(type);
  if (!t)
    return cbc__error(CBC_EINVAL, "unknown enum type %d", (int)type);
  for (size_t i = 0; i < t->count; i++)
    if (row_matches(&t->rows[i], text)) {
      *out = t->rows[i].value;
      return 0;
    }
  return parse_error(t, text);
}

CBC_EXTERN(int) cbc_enum_values(const int **out, size_t *count, cbc_enum_type type)
{
  CBC__CHECK_ARG(out);
  CBC__CHECK_ARG(count);
  const label_type *t = type_of(type);
  if (!t)
    return cbc__error(CBC_EINVAL, "unknown enum type %d", (int)type);
  *out = t->values;
  *count = t->count;
  return 0;
}

/* ------------------------------------------------ the modules' _name() */

#define NAME_FN(fn, arg_type, type)                                     \
  CBC_EXTERN(const char *) fn(arg_type value) { return v1_name(type, (int)value); }

NAME_FN(cbc_unit_kind_name, cbc_unit_kind, CBC_ENUM_UNIT_KIND)
NAME_FN(cbc_level_name, cbc_level, CBC_ENUM_LEVEL)
NAME_FN(cbc_employee_event_kind_name, cbc_employee_event_kind, CBC_ENUM_EMPLOYEE_EVENT_KIND)
NAME_FN(cbc_record_kind_name, cbc_record_kind, CBC_ENUM_RECORD_KIND)
NAME_FN(cbc_hazard_state_name, cbc_hazard_state, CBC_ENUM_HAZARD_STATE)
NAME_FN(cbc_hazard_action_name, cbc_hazard_action, CBC_ENUM_HAZARD_ACTION)
NAME_FN(cbc_severity_name, cbc_severity, CBC_ENUM_SEVERITY)
NAME_FN(cbc_hazard_kind_name, cbc_hazard_kind, CBC_ENUM_HAZARD_KIND)
NAME_FN(cbc_hazard_category_name, cbc_hazard_category, CBC_ENUM_HAZARD_CATEGORY)
NAME_FN(cbc_check_item_name, cbc_check_item, CBC_ENUM_CHECK_ITEM)
NAME_FN(cbc_hazard_source_name, cbc_hazard_source, CBC_ENUM_HAZARD_SOURCE)
NAME_FN(cbc_attachment_stage_name, cbc_attachment_stage, CBC_ENUM_ATTACHMENT_STAGE)
NAME_FN(cbc_training_kind_name, cbc_training_kind, CBC_ENUM_TRAINING_KIND)
NAME_FN(cbc_proposal_status_name, cbc_proposal_status, CBC_ENUM_PROPOSAL_STATUS)
NAME_FN(cbc_training_need_reason_name, cbc_training_need_reason, CBC_ENUM_TRAINING_NEED_REASON)
NAME_FN(cbc_reward_rule_name, cbc_reward_rule, CBC_ENUM_REWARD_RULE)
NAME_FN(cbc_subject_kind_name, cbc_subject_kind, CBC_ENUM_SUBJECT_KIND)
NAME_FN(cbc_award_state_name, cbc_award_state, CBC_ENUM_AWARD_STATE)
NAME_FN(cbc_award_step_name, cbc_award_step, CBC_ENUM_AWARD_STEP)
NAME_FN(cbc_period_kind_name, cbc_period_kind, CBC_ENUM_PERIOD_KIND)
NAME_FN(cbc_stats_dimension_name, cbc_stats_dimension, CBC_ENUM_STATS_DIMENSION)
NAME_FN(cbc_stats_field_name, cbc_stats_field, CBC_ENUM_FORM_FIELD)
NAME_FN(cbc_hazard_sort_name, cbc_hazard_sort, CBC_ENUM_HAZARD_SORT)
NAME_FN(cbc_activity_kind_name, cbc_activity_kind, CBC_ENUM_ACTIVITY_KIND)
NAME_FN(cbc_finding_kind_name, cbc_finding_kind, CBC_ENUM_FINDING_KIND)
NAME_FN(cbc_filing_kind_name, cbc_filing_kind, CBC_ENUM_FILING_KIND)
NAME_FN(cbc_filing_state_name, cbc_filing_state, CBC_ENUM_FILING_STATE)
NAME_FN(cbc_history_kind_name, cbc_history_kind, CBC_ENUM_HISTORY_KIND)
NAME_FN(cbc_history_fault_name, cbc_history_fault, CBC_ENUM_HISTORY_FAULT)

/* A role is a bit: only a single known bit has a name. */
CBC_EXTERN(const char *) cbc_role_name(unsigned int role)
{
  return role && role <= (unsigned int)INT32_MAX ? v1_name(CBC_ENUM_ROLE, (int)role) : NULL;
}
