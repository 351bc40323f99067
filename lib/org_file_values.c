/* The text of an HR file's row as a record (lib/org_file.h): booleans, unit
 * kinds, roles and dates in the forms HR systems write them. */
#include "calendar.h"
#include "org_file.h"
#include <string.h>
#include <strings.h>

/* @p s (@p n bytes) without spaces, tabs and ideographic spaces (U+3000)
 * around it, as [*start, *start + *len). */
static void trim_n(const char *s, size_t n, const char **start, size_t *len)
{
  size_t i = 0;
  for (;;) {
    if (i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    else if (n - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
      i += 3;
    else if (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
      n--;
    else if (n - i >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
      n -= 3;
    else
      break;
  }
  *start = s + i;
  *len = n - i;
}

static void trim(const char *s, const char **start, size_t *len)
{
  trim_n(s, strlen(s), start, len);
}

/* Whether the trimmed text of a value is one of @p words (ASCII case aside). */
static bool one_of(const char *v, size_t len, const char *const *words)
{
  for (; *words; words++)
    if (strlen(*words) == len && strncasecmp(v, *words, len) == 0)
      return true;
  return false;
}

static const char *const yes_words[] = { "1", "true", "yes", "y", "是", "在职", NULL };
static const char *const no_words[] = { "0", "false", "no", "n", "否", "离职", NULL };

static int parse_bool(const char *text, int dflt, int *out)
{
  const char *v;
  size_t len;
  trim(text ? text : "", &v, &len);
  if (len == 0)
    *out = dflt;
  else if (one_of(v, len, yes_words))
    *out = 1;
  else if (one_of(v, len, no_words))
    *out = 0;
  else
    return cbc__error(CBC_EINVAL, "'%s' is not 0, 1, true, false, yes, no, 是 or 否", text);
  return 0;
}

static const char *const kind_words[][5] = {
  [CBC_UNIT_REGION] = { "region", "区域", "地区", "行政区", NULL },
  [CBC_UNIT_ENTERPRISE] = { "enterprise", "企业", "单位", "公司", NULL },
  [CBC_UNIT_WORKSHOP] = { "workshop", "车间", "科室", "部门", NULL },
  [CBC_UNIT_TEAM] = { "team", "班组", NULL },
};

static int parse_kind(const char *text, cbc_unit_kind *out)
{
  const char *v;
  size_t len;
  trim(text ? text : "", &v, &len);
  for (int k = CBC_UNIT_REGION; k <= CBC_UNIT_TEAM; k++)
    if (one_of(v, len, kind_words[k])) {
      *out = (cbc_unit_kind)k;
      return 0;
    }
  return cbc__error(CBC_EINVAL, "unknown unit kind '%s' (region, enterprise, workshop, team, "
                    "or 区域, 企业, 车间, 班组)", text ? text : "");
}

/* The Chinese names HR systems give the roles, as cbc_roles_parse() names. */
static const char *const role_words[][2] = {
  { "职工", "worker" }, { "员工", "worker" }, { "班组长", "team_leader" },
  { "班长", "team_leader" }, { "车间主任", "workshop_director" }, { "科长", "workshop_director" },
  { "安全管理人员", "safety_officer" }, { "安全员", "safety_officer" },
  { "主要负责人", "principal" }, { "职工代表", "employee_rep" }, { "专家", "expert" },
  { "工会干部", "union_cadre" }, { "安监局", "bureau_inspector" },
  { "应急管理局", "bureau_inspector" },
};

#define IDEOGRAPHIC_COMMA "\xE3\x80\x81" /* 、 */

/* The length of the role name at @p p, up to a separator. */
static size_t role_token(const char *p)
{
  size_t n = 0;
  while (p[n] && !strchr("|,;/", p[n]) && strncmp(p + n, IDEOGRAPHIC_COMMA, 3) != 0)
    n++;
  return n;
}

static const char *role_word(const char *v, size_t len)
{
  for (size_t i = 0; i < sizeof(role_words) / sizeof(role_words[0]); i++)
    if (strlen(role_words[i][0]) == len && memcmp(v, role_words[i][0], len) == 0)
      return role_words[i][1];
  return NULL;
}

/* Roles separated by '|', ',', ';', '/' or '、', by name or Chinese name:
 * translated to names, then cbc_roles_parse(). */
static int parse_roles(const char *text, unsigned int *out)
{
  const char *p = text ? text : "";
  char *names = cbc__malloc(3 * strlen(p) + 1), *w = names; /* 科长 -> workshop_director */
  if (!names)
    return cbc__error_oom();
  while (*p) {
    size_t n = role_token(p), len;
    const char *v, *name;
    trim_n(p, n, &v, &len);
    if (w != names)
      *w++ = '|';
    if ((name = role_word(v, len)) != NULL)
      v = name, len = strlen(name);
    memcpy(w, v, len);
    w += len;
    p += n;
    p += !*p ? 0 : *p == IDEOGRAPHIC_COMMA[0] ? 3 : 1;
  }
  *w = '\0';
  int rc = cbc_roles_parse(out, names);
  cbc__free(names);
  return rc;
}

/* Between @p min and @p max digits at *p. */
static bool digits(const char **p, const char *end, int min, int max, int *out)
{
  int n = 0;
  *out = 0;
  while (*p < end && n < max && **p >= '0' && **p <= '9') {
    *out = *out * 10 + (**p - '0');
    (*p)++;
    n++;
  }
  return n >= min;
}

static bool literal(const char **p, const char *end, const char *text)
{
  size_t n = strlen(text);
  if ((size_t)(end - *p) < n || memcmp(*p, text, n) != 0)
    return false;
  *p += n;
  return true;
}

/* 2019-03-01, 2019-3-1, 2019/3/1, 2019.3.1, 2019年3月1日 or 20190301. */
static bool date_shape(const char *p, const char *end, int *y, int *m, int *d)
{
  if (!digits(&p, end, 4, 4, y))
    return false;
  if (p < end && *p >= '0' && *p <= '9')
    return digits(&p, end, 2, 2, m) && digits(&p, end, 2, 2, d) && p == end;
  static const char *const seps[][3] = { { "-", "-", "" }, { "/", "/", "" }, { ".", ".", "" },
                                         { "年", "月", "日" } };
  for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
    const char *q = p;
    if (literal(&q, end, seps[i][0]) && digits(&q, end, 1, 2, m) &&
        literal(&q, end, seps[i][1]) && digits(&q, end, 1, 2, d)) {
      if (*seps[i][2])
        literal(&q, end, seps[i][2]); /* 日 may be left out */
      return q == end;
    }
  }
  return false;
}

int cbc__file_date(const char *text, int utc_offset, int64_t *out)
{
  static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  const char *v;
  size_t len;
  *out = 0;
  trim(text ? text : "", &v, &len);
  if (len == 0)
    return 0;
  int y = 0, m = 0, d = 0;
  if (!date_shape(v, v + len, &y, &m, &d) || y < 1900 || m < 1 || m > 12 || d < 1 ||
      d > mdays[m - 1] || (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
    return cbc__error(CBC_EINVAL, "'%s' is not a date (2019-03-01, 2019/3/1, 20190301 or "
                      "2019年3月1日)", text);
  *out = cbc__local_midnight(y, m, d, utc_offset);
  return 0;
}

int cbc__file_to_unit(const cbc__file_row *row, cbc_unit_record *u)
{
  cbc_unit_record init = CBC_UNIT_RECORD_INIT;
  *u = init;
  u->external_id = row->values[CBC__U_EXT];
  u->parent_external_id = row->values[CBC__U_PARENT];
  u->name = row->values[CBC__U_NAME];
  u->industry = row->values[CBC__U_INDUSTRY];
  int rc = parse_kind(row->values[CBC__U_KIND], &u->kind);
  return rc ? rc : parse_bool(row->values[CBC__U_HIGH_RISK], 0, &u->high_risk);
}

int cbc__file_to_employee(const cbc__file_row *row, int utc_offset, cbc_employee_record *e)
{
  cbc_employee_record init = CBC_EMPLOYEE_RECORD_INIT;
  *e = init;
  e->external_id = row->values[CBC__E_EXT];
  e->name = row->values[CBC__E_NAME];
  e->post = row->values[CBC__E_POST];
  e->unit_external_id = row->values[CBC__E_UNIT];
  int rc = parse_roles(row->values[CBC__E_ROLES], &e->roles);
  if (!rc)
    rc = parse_bool(row->values[CBC__E_ACTIVE], 1, &e->active);
  if (!rc)
    rc = cbc__file_date(row->values[CBC__E_HIRE], utc_offset, &e->hire_date);
  return rc;
}
