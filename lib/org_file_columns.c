/* Header names to fields (lib/org_file.h): the fields of the units and
 * employees files, the names HR systems give them (docs/integration.md,
 * "Columns" lists the same table), and the caller's column map. */
#include "org_file.h"
#include <string.h>

static const char *const unit_names[] = { "external_id", "name", "kind", "parent_external_id",
                                          "industry", "high_risk" };
static const char *const employee_names[] = { "external_id", "name", "post", "unit_external_id",
                                              "roles", "active", "hire_date" };

/* Normalised (lower case; no spaces, '_', '-', '.', '*'): see normalise(). */
static const cbc__file_alias unit_aliases[] = {
  { "id", CBC__U_EXT }, { "unitid", CBC__U_EXT }, { "unitcode", CBC__U_EXT },
  { "code", CBC__U_EXT }, { "deptid", CBC__U_EXT }, { "deptcode", CBC__U_EXT },
  { "departmentid", CBC__U_EXT }, { "orgid", CBC__U_EXT }, { "orgcode", CBC__U_EXT },
  { "单位编号", CBC__U_EXT }, { "部门编号", CBC__U_EXT }, { "单位代码", CBC__U_EXT },
  { "部门代码", CBC__U_EXT }, { "组织编号", CBC__U_EXT }, { "组织编码", CBC__U_EXT },
  { "编号", CBC__U_EXT }, { "编码", CBC__U_EXT },
  { "unitname", CBC__U_NAME }, { "deptname", CBC__U_NAME }, { "departmentname", CBC__U_NAME },
  { "orgname", CBC__U_NAME }, { "单位名称", CBC__U_NAME }, { "部门名称", CBC__U_NAME },
  { "组织名称", CBC__U_NAME }, { "名称", CBC__U_NAME },
  { "type", CBC__U_KIND }, { "unittype", CBC__U_KIND }, { "单位类型", CBC__U_KIND },
  { "部门类型", CBC__U_KIND }, { "组织类型", CBC__U_KIND }, { "类型", CBC__U_KIND },
  { "parent", CBC__U_PARENT }, { "parentid", CBC__U_PARENT }, { "parentcode", CBC__U_PARENT },
  { "上级单位", CBC__U_PARENT }, { "上级部门", CBC__U_PARENT }, { "上级单位编号", CBC__U_PARENT },
  { "上级部门编号", CBC__U_PARENT }, { "上级编号", CBC__U_PARENT }, { "上级组织", CBC__U_PARENT },
  { "sector", CBC__U_INDUSTRY }, { "行业", CBC__U_INDUSTRY }, { "所属行业", CBC__U_INDUSTRY },
  { "highrisk", CBC__U_HIGH_RISK }, { "高危", CBC__U_HIGH_RISK },
  { "高危行业", CBC__U_HIGH_RISK }, { "是否高危", CBC__U_HIGH_RISK },
};

static const cbc__file_alias employee_aliases[] = {
  { "id", CBC__E_EXT }, { "employeeid", CBC__E_EXT }, { "employeeno", CBC__E_EXT },
  { "employeenumber", CBC__E_EXT }, { "empid", CBC__E_EXT }, { "empno", CBC__E_EXT },
  { "staffid", CBC__E_EXT }, { "staffno", CBC__E_EXT }, { "jobnumber", CBC__E_EXT },
  { "工号", CBC__E_EXT }, { "员工编号", CBC__E_EXT }, { "职工编号", CBC__E_EXT },
  { "人员编号", CBC__E_EXT }, { "员工工号", CBC__E_EXT }, { "编号", CBC__E_EXT },
  { "fullname", CBC__E_NAME }, { "employeename", CBC__E_NAME }, { "姓名", CBC__E_NAME },
  { "员工姓名", CBC__E_NAME }, { "职工姓名", CBC__E_NAME },
  { "position", CBC__E_POST }, { "jobtitle", CBC__E_POST }, { "title", CBC__E_POST },
  { "岗位", CBC__E_POST }, { "岗位名称", CBC__E_POST }, { "职位", CBC__E_POST },
  { "职务", CBC__E_POST }, { "工种", CBC__E_POST },
  { "unit", CBC__E_UNIT }, { "unitid", CBC__E_UNIT }, { "team", CBC__E_UNIT },
  { "teamid", CBC__E_UNIT }, { "dept", CBC__E_UNIT }, { "deptid", CBC__E_UNIT },
  { "department", CBC__E_UNIT }, { "departmentid", CBC__E_UNIT },
  { "部门", CBC__E_UNIT }, { "班组", CBC__E_UNIT }, { "所属部门", CBC__E_UNIT },
  { "所属班组", CBC__E_UNIT }, { "部门编号", CBC__E_UNIT }, { "班组编号", CBC__E_UNIT },
  { "单位编号", CBC__E_UNIT },
  { "role", CBC__E_ROLES }, { "角色", CBC__E_ROLES }, { "人员角色", CBC__E_ROLES },
  { "status", CBC__E_ACTIVE }, { "employed", CBC__E_ACTIVE }, { "在职", CBC__E_ACTIVE },
  { "状态", CBC__E_ACTIVE }, { "在职状态", CBC__E_ACTIVE }, { "是否在职", CBC__E_ACTIVE },
  { "hired", CBC__E_HIRE }, { "hiredate", CBC__E_HIRE }, { "dateofhire", CBC__E_HIRE },
  { "startdate", CBC__E_HIRE }, { "joindate", CBC__E_HIRE }, { "entrydate", CBC__E_HIRE },
  { "入职日期", CBC__E_HIRE }, { "入职时间", CBC__E_HIRE }, { "入厂日期", CBC__E_HIRE },
  { "入司日期", CBC__E_HIRE },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const cbc__file_columns cbc__unit_columns = {
  unit_names, COUNT(unit_names), (1u << CBC__U_EXT) | (1u << CBC__U_NAME) | (1u << CBC__U_KIND),
  unit_aliases, COUNT(unit_aliases)
};
const cbc__file_columns cbc__employee_columns = {
  employee_names, COUNT(employee_names),
  (1u << CBC__E_EXT) | (1u << CBC__E_NAME) | (1u << CBC__E_UNIT),
  employee_aliases, COUNT(employee_aliases)
};

#define NAME_MAX_BYTES 128

/* A header name as the tables hold it: ASCII letters in lower case, without
 * spaces (also the ideographic space U+3000), tabs, '_', '-', '.' and '*'
 * (HR templates star required columns).  Longer names match nothing. */
static bool normalise(const char *name, size_t len, char out[NAME_MAX_BYTES])
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c == 0xE3 && i + 2 < len && (unsigned char)name[i + 1] == 0x80 &&
        (unsigned char)name[i + 2] == 0x80) {
      i += 2;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '.' || c == '*')
      continue;
    if (n + 1 >= NAME_MAX_BYTES)
      return false;
    out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  out[n] = '\0';
  return true;
}

static int field_index(const cbc__file_columns *cols, const char *norm)
{
  char field[NAME_MAX_BYTES];
  for (size_t i = 0; i < cols->n; i++)
    if (normalise(cols->names[i], strlen(cols->names[i]), field) && strcmp(field, norm) == 0)
      return (int)i;
  for (size_t i = 0; i < cols->n_aliases; i++)
    if (strcmp(cols->aliases[i].name, norm) == 0)
      return cols->aliases[i].field;
  return CBC__COLUMN_UNKNOWN;
}

/* The exact field name @p name of @p cols, or -1. */
static int exact_field(const cbc__file_columns *cols, const char *name, size_t len)
{
  for (size_t i = 0; i < cols->n; i++)
    if (strlen(cols->names[i]) == len && memcmp(cols->names[i], name, len) == 0)
      return (int)i;
  return -1;
}

/* The caller's map for @p norm: 1 with *field set (an index, or
 * CBC__COLUMN_IGNORED), or 0 when no entry names the column for this file. */
static int mapped(const cbc__file_spec *spec, const char *norm, int *field)
{
  char column[NAME_MAX_BYTES];
  for (const char *const *m = spec->column_map; m && *m; m++) {
    const char *eq = strchr(*m, '=');
    if (!normalise(*m, (size_t)(eq - *m), column) || strcmp(column, norm) != 0)
      continue;
    if (!eq[1]) {
      *field = CBC__COLUMN_IGNORED;
      return 1;
    }
    *field = exact_field(spec->columns, eq + 1, strlen(eq + 1));
    if (*field >= 0)
      return 1; /* else a field of the other file: the aliases decide here */
  }
  return 0;
}

int cbc__file_field(const cbc__file_spec *spec, const char *name, size_t len)
{
  char norm[NAME_MAX_BYTES];
  int field;
  if (!normalise(name, len, norm) || !norm[0])
    return CBC__COLUMN_UNKNOWN;
  if (mapped(spec, norm, &field))
    return field;
  return field_index(spec->columns, norm);
}

int cbc__file_field_twice(const cbc__file_spec *spec, const char *path, const char *where,
                          const char *first, const char *second, int field)
{
  return cbc__error(CBC_EINVAL, "%s%s: '%s' and '%s' both mean the field %s: map one of them "
                    "to another field, or to nothing (\"%s=\")", path, where, first, second,
                    spec->columns->names[field], second);
}

static int map_entry_check(const char *entry, size_t i, char (*seen)[NAME_MAX_BYTES])
{
  const char *eq = entry ? strchr(entry, '=') : NULL;
  char norm[NAME_MAX_BYTES];
  if (!eq || !cbc__utf8_valid(entry, strlen(entry)) ||
      !normalise(entry, (size_t)(eq - entry), norm) || !norm[0])
    return cbc__error(CBC_EINVAL, "cbc_sync_options: column_map[%zu] is not COLUMN=FIELD", i);
  const char *field = eq + 1;
  size_t len = strlen(field);
  if (len && exact_field(&cbc__unit_columns, field, len) < 0 &&
      exact_field(&cbc__employee_columns, field, len) < 0)
    return cbc__error(CBC_EINVAL, "cbc_sync_options: column_map[%zu]: '%s' is no field (units: "
                      "external_id, name, kind, parent_external_id, industry, high_risk; "
                      "employees: external_id, name, post, unit_external_id, roles, active, "
                      "hire_date)", i, field);
  for (size_t j = 0; j < i; j++)
    if (strcmp(seen[j], norm) == 0)
      return cbc__error(CBC_EINVAL, "cbc_sync_options: column_map[%zu]: the column is "
                        "mapped twice", i);
  strcpy(seen[i], norm);
  return 0;
}

#define MAP_MAX 256

int cbc__file_map_check(const char *const *column_map)
{
  if (!column_map)
    return 0;
  char(*seen)[NAME_MAX_BYTES] = cbc__malloc(MAP_MAX * sizeof(*seen));
  if (!seen)
    return cbc__error_oom();
  int rc = 0;
  size_t i = 0;
  for (; !rc && column_map[i] && i < MAP_MAX; i++)
    rc = map_entry_check(column_map[i], i, seen);
  if (!rc && i == MAP_MAX && column_map[i])
    rc = cbc__error(CBC_EINVAL, "cbc_sync_options: column_map has more than %d entries",
                    MAP_MAX);
  cbc__free(seen);
  return rc;
}
