/* cbc demo: months of the campaign, day by day, through the public API. */
#define _POSIX_C_SOURCE 200809L
#include "demo.h"

#include <stdlib.h>
#include <string.h>

#define DAY INT64_C(86400)

typedef struct finding {
  const char *title, *description;
  cbc_check_item check;
  cbc_hazard_kind kind;
  cbc_hazard_category category;
  int major; /* may be registered as a major hazard */
} finding;

static const finding findings[] = {
  {"配电箱柜门未关闭", "配电箱柜门敞开，内部线路裸露，未上锁", CBC_CHECK_EQUIPMENT_GUARDING,
   CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 0},
  {"消防通道堆放杂物", "东侧消防通道堆放包装箱，通道宽度不足1米", CBC_CHECK_FIXED_POSITION,
   CBC_HAZARD_SOFT, CBC_CATEGORY_SAFETY, 0},
  {"作业人员未佩戴安全帽", "巡查发现两名作业人员进入生产区域未戴安全帽",
   CBC_CHECK_PROTECTIVE_EQUIPMENT, CBC_HAZARD_SOFT, CBC_CATEGORY_SAFETY, 0},
  {"砂轮机防护罩缺失", "砂轮机防护罩拆除后未恢复，托架间隙过大", CBC_CHECK_EQUIPMENT_GUARDING,
   CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 0},
  {"有限空间作业未审批", "清理地坑时未办理有限空间作业审批，未检测气体", CBC_CHECK_RULES,
   CBC_HAZARD_SOFT, CBC_CATEGORY_SAFETY, 1},
  {"天车钢丝绳断丝超标", "3号天车主起升钢丝绳一个捻距内断丝超过报废标准",
   CBC_CHECK_EQUIPMENT_GUARDING, CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 1},
  {"除尘器故障粉尘超标", "除尘器布袋破损，岗位粉尘浓度超过职业接触限值",
   CBC_CHECK_KEY_POINT_CONTROL, CBC_HAZARD_HARD, CBC_CATEGORY_OCCUPATIONAL_HEALTH, 1},
  {"噪声岗位未配发耳塞", "噪声超过85分贝的岗位未配发护耳器", CBC_CHECK_PROTECTIVE_EQUIPMENT,
   CBC_HAZARD_HARD, CBC_CATEGORY_OCCUPATIONAL_HEALTH, 0},
  {"动火作业无人监护", "动火作业现场无监护人，未配备灭火器", CBC_CHECK_STANDARD_OPERATION,
   CBC_HAZARD_SOFT, CBC_CATEGORY_SAFETY, 0},
  {"化学品库通风不良", "危险化学品库房排风机停用，库内气味明显", CBC_CHECK_KEY_POINT_CONTROL,
   CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 1},
  {"叉车超速行驶", "厂区内叉车行驶速度明显超过限速", CBC_CHECK_STANDARD_OPERATION,
   CBC_HAZARD_SOFT, CBC_CATEGORY_SAFETY, 0},
  {"脚手架连墙件缺失", "外架三层以上连墙件缺失多处", CBC_CHECK_EQUIPMENT_GUARDING,
   CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 1},
  {"安全警示标识缺失", "高压配电室门口无警示标识", CBC_CHECK_FIXED_POSITION, CBC_HAZARD_SOFT,
   CBC_CATEGORY_SAFETY, 0},
  {"应急照明灯损坏", "楼梯间应急照明灯不亮", CBC_CHECK_EQUIPMENT_GUARDING, CBC_HAZARD_HARD,
   CBC_CATEGORY_SAFETY, 0},
  {"交接班记录不完整", "连续三班交接班记录未填写设备状况", CBC_CHECK_RULES, CBC_HAZARD_SOFT,
   CBC_CATEGORY_SAFETY, 0},
  {"气瓶未固定", "乙炔气瓶、氧气瓶混放且未固定", CBC_CHECK_FIXED_POSITION, CBC_HAZARD_HARD,
   CBC_CATEGORY_SAFETY, 0},
  {"高处作业未系安全带", "2米以上平台作业人员未系安全带", CBC_CHECK_PROTECTIVE_EQUIPMENT,
   CBC_HAZARD_SOFT, CBC_CATEGORY_SAFETY, 0},
  {"电焊机接地线破损", "电焊机接地线绝缘层破损，铜线外露", CBC_CHECK_EQUIPMENT_GUARDING,
   CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 0},
  {"可燃气体报警器失效", "储罐区可燃气体报警器校验过期，测试无响应",
   CBC_CHECK_KEY_POINT_CONTROL, CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 1},
  {"冷库内无应急开门装置", "冷库门内侧应急开门装置损坏", CBC_CHECK_EQUIPMENT_GUARDING,
   CBC_HAZARD_HARD, CBC_CATEGORY_SAFETY, 0},
};
#define N_FINDINGS (sizeof findings / sizeof findings[0])

/* Where a hazard's story goes next. */
typedef enum step {
  STEP_REGISTER, STEP_REJECT, STEP_LIST, STEP_START, STEP_ESCALATE, STEP_EXTEND,
  STEP_DECIDE, STEP_SUBMIT, STEP_VERIFY, STEP_REOPEN, STEP_DONE
} step;

typedef struct story {
  int64_t id, due;
  int ent, team, finding;
  step next;
  int major, workshop_level, escalate, extend, fail, list, reopen, anonymous, stall;
  int64_t duplicate_of;
} story;

typedef struct run {
  demo *d;
  story *stories;
  int n, cap;
} run;

/* The clock moves a few minutes with every call, so events keep their order. */
static void tick(demo *d)
{
  d->now += 60 + demo_rand(d, 600);
}

static int64_t responsible_of(demo *d, int64_t hazard)
{
  cbc_hazard *h = NULL;
  int64_t id = cbc_hazard_lookup(&h, d->db, hazard) == 0 ? h->responsible_id : 0;
  cbc_hazard_free(h);
  return id;
}

static demo_team *team(demo *d, const story *s)
{
  return &d->ent[s->ent].teams[s->team];
}

static int64_t director(demo *d, const story *s)
{
  return d->ent[s->ent].directors[d->ent[s->ent].team_workshop[s->team]];
}

/* ------------------------------------------------------------------ */
/* Reporting.                                                          */

static const cbc_hazard_source sources[] = {
  CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SELF_CHECK, CBC_SOURCE_SNAPSHOT,
  CBC_SOURCE_SNAPSHOT, CBC_SOURCE_REP_PATROL, CBC_SOURCE_TEAM_MUTUAL_CHECK, CBC_SOURCE_EXPERT};

static cbc_hazard_record record_for(demo *d, const story *s)
{
  const finding *f = &findings[s->finding];
  demo_team *t = team(d, s);
  cbc_hazard_record rec = CBC_HAZARD_RECORD_INIT;
  rec.unit_id = t->unit;
  rec.title = f->title;
  rec.description = f->description;
  rec.kind = f->kind;
  rec.category = f->category;
  rec.check_item = f->check;
  rec.proposed_severity = s->major ? CBC_SEVERITY_MAJOR : CBC_SEVERITY_GENERAL;
  rec.source = s->anonymous ? CBC_SOURCE_HOTLINE : sources[demo_rand(d, 8)];
  rec.reporter_id = s->anonymous ? 0 : t->members[demo_rand(d, (uint32_t)t->n_members)];
  rec.observed_at = d->now - demo_rand(d, 3600);
  return rec;
}

/* An earlier open hazard of the same team that a new report repeats. */
static int64_t earlier_in_team(const run *r, const story *s)
{
  for (int i = r->n - 1; i >= 0; i--) {
    const story *o = &r->stories[i];
    if (o->ent == s->ent && o->team == s->team && o->next != STEP_DONE &&
        o->next != STEP_REJECT && o->next != STEP_REGISTER && !o->duplicate_of)
      return o->id;
  }
  return 0;
}

/* What will happen to a new report: decided at once, so runs repeat. */
static void plot(run *r, story *s)
{
  demo *d = r->d;
  uint32_t fate = demo_rand(d, 100);
  s->major = findings[s->finding].major && demo_rand(d, 100) < 45;
  s->anonymous = !s->major && demo_rand(d, 100) < 5;
  s->next = fate < 7 ? STEP_REJECT : STEP_REGISTER;
  if (s->next == STEP_REJECT && fate < 3)
    s->duplicate_of = earlier_in_team(r, s);
  s->workshop_level = !s->major && demo_rand(d, 100) < 25;
  s->escalate = !s->major && !s->workshop_level && demo_rand(d, 100) < 10;
  s->extend = demo_rand(d, 100) < 12;
  s->fail = demo_rand(d, 100) < 10;
  s->list = s->major && demo_rand(d, 100) < 60;
  s->reopen = demo_rand(d, 100) < 4;
  s->stall = demo_rand(d, 100) < 6; /* the responsible person never finishes: overdue */
  s->due = d->now + DAY + demo_rand(d, (demo_rand(d, 100) < 12 ? 10 : 2) * DAY);
}

static int add_story(run *r, const story *s)
{
  if (r->n == r->cap) {
    int cap = r->cap ? r->cap * 2 : 256;
    story *bigger = realloc(r->stories, (size_t)cap * sizeof *bigger);
    if (!bigger)
      return cli_failf(r->d->ctx, CLI_INTERNAL, "out of memory");
    r->stories = bigger;
    r->cap = cap;
  }
  r->stories[r->n++] = *s;
  return CLI_OK;
}

static int report_one(run *r, int ent)
{
  demo *d = r->d;
  story s;
  memset(&s, 0, sizeof s);
  s.ent = ent;
  s.team = (int)demo_rand(d, (uint32_t)d->ent[ent].n_teams);
  s.finding = (int)demo_rand(d, N_FINDINGS);
  plot(r, &s);
  cbc_hazard_record rec = record_for(d, &s);
  char *key = NULL;
  int rc;
  tick(d);
  if (!s.major && !s.anonymous && demo_rand(d, 100) < 10) {
    rc = cbc_hazard_fix_on_spot(&s.id, d->db, &rec, "发现后立即整改完毕", NULL, 0);
    s.next = STEP_VERIFY; /* by the workshop director, the next day or so */
    s.fail = s.reopen = 0;
  } else {
    rc = cbc_hazard_report(&s.id, s.anonymous ? &key : NULL, d->db, &rec);
  }
  cbc_free(key);
  if (rc != 0)
    return demo_fail(d, "reporting a hazard", rc);
  d->hazards++;
  return add_story(r, &s);
}

/* ------------------------------------------------------------------ */
/* The moves.                                                          */

static const cbc_rectification_plan plan_template = {
  "消除隐患，恢复设备设施安全状态", "停产检修，更换损坏部件，加装联锁保护",
  "专项资金，材料由设备部保障", "设备部牵头，车间配合，安全环保科监督", 0,
  "整改期间设置警戒区，专人监护，落实应急预案"};

static int do_register(demo *d, story *s)
{
  cbc_hazard_registration reg = CBC_HAZARD_REGISTRATION_INIT;
  cbc_rectification_plan plan = plan_template;
  demo_enterprise *e = &d->ent[s->ent];
  int64_t actor = team(d, s)->leader;
  reg.severity = s->major ? CBC_SEVERITY_MAJOR : CBC_SEVERITY_GENERAL;
  reg.level = s->major ? CBC_LEVEL_ENTERPRISE : s->workshop_level ? CBC_LEVEL_WORKSHOP
                                                                   : CBC_LEVEL_TEAM;
  reg.measures = s->major ? "制定治理方案，停产整改" : "立即组织整改，落实防护措施";
  reg.funds_fen = s->major ? 50000 * (1 + demo_rand(d, 40)) * 100 : 100 * demo_rand(d, 3000);
  reg.deadline = d->now + (s->major ? 30 + demo_rand(d, 30) : 5 + demo_rand(d, 10)) * DAY;
  reg.contingency_plan = "设置警示标志，必要时停止作业并撤离人员";
  if (s->major) {
    plan.time_limit = reg.deadline;
    reg.plan = &plan;
    actor = e->safety_officer;
  } else if (s->workshop_level) {
    actor = director(d, s);
  }
  s->next = s->list ? STEP_LIST : STEP_START;
  s->due = d->now + DAY;
  return cbc_hazard_register(d->db, s->id, actor, &reg);
}

/* A report proposed as major is rejected at enterprise level. */
static int do_reject(demo *d, story *s)
{
  int64_t actor = s->major ? d->ent[s->ent].safety_officer : team(d, s)->leader;
  s->next = STEP_DONE;
  if (s->duplicate_of)
    return cbc_hazard_reject(d->db, s->id, actor, "与已登记隐患重复", s->duplicate_of);
  return cbc_hazard_reject(d->db, s->id, actor, "经核实不属于安全隐患", 0);
}

static int do_list(demo *d, story *s)
{
  char doc[64];
  snprintf(doc, sizeof doc, "历应急督〔2026〕%d号", 10 + d->hazards % 90);
  s->next = STEP_START;
  s->due = d->now + DAY;
  return cbc_hazard_list_supervision(d->db, s->id, d->inspector, "历下区应急管理局", doc, 0);
}

static int do_start(demo *d, story *s)
{
  int64_t resp = responsible_of(d, s->id);
  s->next = s->escalate ? STEP_ESCALATE : s->extend ? STEP_EXTEND : STEP_SUBMIT;
  s->due = d->now + (s->major ? 20 + demo_rand(d, 25) : 3 + demo_rand(d, 11)) * DAY;
  if (s->stall && !s->escalate && !s->extend)
    s->next = STEP_DONE;
  return cbc_hazard_start(d->db, s->id, resp);
}

static int do_escalate(demo *d, story *s)
{
  s->escalate = 0;
  s->workshop_level = 1;
  s->next = STEP_SUBMIT;
  s->due = d->now + 3 * DAY + demo_rand(d, 4 * DAY);
  return cbc_hazard_escalate(d->db, s->id, responsible_of(d, s->id), "班组无法解决，需车间协调资金",
                             0);
}

static int do_extend(demo *d, story *s)
{
  cbc_hazard *h = NULL;
  int rc = cbc_hazard_lookup(&h, d->db, s->id);
  if (rc == 0)
    rc = cbc_hazard_request_extension(d->db, s->id, h->responsible_id, h->deadline + 14 * DAY,
                                      "备件到货延迟");
  cbc_hazard_free(h);
  s->next = STEP_DECIDE;
  s->due = d->now + DAY;
  return rc;
}

/* The authority one level above the hazard's level. */
static int64_t level_above(demo *d, const story *s)
{
  if (s->major)
    return d->inspector;
  return s->workshop_level ? d->ent[s->ent].safety_officer : director(d, s);
}

static int do_decide(demo *d, story *s)
{
  s->extend = 0;
  s->next = STEP_SUBMIT;
  s->due = d->now + 2 * DAY + demo_rand(d, 5 * DAY);
  return cbc_hazard_decide_extension(d->db, s->id, level_above(d, s), 1, "同意延期");
}

static int do_submit(demo *d, story *s)
{
  s->next = STEP_VERIFY;
  s->due = d->now + DAY + demo_rand(d, DAY);
  return cbc_hazard_submit(d->db, s->id, responsible_of(d, s->id), "已按措施整改完毕，请验收",
                           NULL, 0);
}

/* Someone with authority at the hazard's level who did not submit it: a
 * listed hazard's inspector (verifying de-lists it, so a reopened one goes
 * back to the enterprise). */
static int64_t verifier(demo *d, const story *s)
{
  demo_enterprise *e = &d->ent[s->ent];
  cbc_hazard *h = NULL;
  int listed = cbc_hazard_lookup(&h, d->db, s->id) == 0 && h->listed;
  int64_t submitter = h ? h->submitted_by : 0;
  cbc_hazard_free(h);
  if (s->major)
    return listed ? d->inspector : submitter == e->safety_officer ? e->principal
                                                                   : e->safety_officer;
  return s->workshop_level ? e->safety_officer : director(d, s);
}

static int do_verify(demo *d, story *s)
{
  int pass = !s->fail;
  s->fail = 0;
  s->next = pass ? (s->reopen ? STEP_REOPEN : STEP_DONE) : STEP_SUBMIT;
  s->due = d->now + (pass ? 10 : 2) * DAY;
  return cbc_hazard_verify(d->db, s->id, verifier(d, s), pass,
                           pass ? "现场复查，整改到位，同意销号" : "整改不彻底，退回重新整改",
                           NULL, 0);
}

static int do_reopen(demo *d, story *s)
{
  s->reopen = 0;
  s->next = STEP_SUBMIT;
  s->due = d->now + 3 * DAY;
  return cbc_hazard_reopen(d->db, s->id, d->ent[s->ent].safety_officer,
                           "回头看发现问题反弹");
}

typedef int (*move_fn)(demo *d, story *s);

static int advance(demo *d, story *s)
{
  static const move_fn moves[] = {
    [STEP_REGISTER] = do_register, [STEP_REJECT] = do_reject, [STEP_LIST] = do_list,
    [STEP_START] = do_start, [STEP_ESCALATE] = do_escalate, [STEP_EXTEND] = do_extend,
    [STEP_DECIDE] = do_decide, [STEP_SUBMIT] = do_submit, [STEP_VERIFY] = do_verify,
    [STEP_REOPEN] = do_reopen};
  tick(d);
  int rc = moves[s->next](d, s);
  if (rc != 0) {
    char what[64];
    snprintf(what, sizeof what, "moving hazard %lld", (long long)s->id);
    return demo_fail(d, what, rc);
  }
  return CLI_OK;
}

/* ------------------------------------------------------------------ */

static int one_day(run *r, int64_t day, int64_t end)
{
  demo *d = r->d;
  int rc = CLI_OK;
  d->now = day + 8 * 3600;
  for (int e = 0; e < DEMO_ENTERPRISES && rc == CLI_OK; e++)
    if (demo_rand(d, 100) < 30)
      rc = report_one(r, e);
  for (int i = 0; i < r->n && rc == CLI_OK; i++) {
    story *s = &r->stories[i];
    if (s->next != STEP_DONE && s->due <= d->now && s->due < end)
      rc = advance(d, s);
  }
  return rc;
}

/* One day in a group of its own, or in the group the caller opened (the
 * whole demo on a server: cmd_demo.c). */
static int grouped_day(run *r, int64_t day, int64_t from, int64_t to)
{
  demo *d = r->d;
  int own = !cbc_db_in_group(d->db), rc;
  if (own && (rc = cbc_db_begin(d->db)) != 0)
    return demo_fail(d, "starting a day", rc);
  rc = one_day(r, day, to);
  if (rc == CLI_OK)
    rc = demo_activities(d, day, from);
  if (!own)
    return rc;
  if (rc == CLI_OK && (rc = cbc_db_commit(d->db)) != 0)
    rc = demo_fail(d, "ending a day", rc);
  else if (rc != CLI_OK)
    cbc_db_rollback(d->db);
  return rc;
}

int demo_run(demo *d, int64_t from, int64_t to)
{
  run r = {d, NULL, 0, 0};
  int rc = CLI_OK;
  for (int64_t day = from; day < to && rc == CLI_OK; day += DAY)
    rc = grouped_day(&r, day, from, to);
  free(r.stories);
  return rc;
}
