/* cbc org / employee / compliance: what their files share. */
#ifndef CBC_CLI_CMD_ORG_H
#define CBC_CLI_CMD_ORG_H

#include "cli.h"

/* The subcommands of cbc org kept in their own files. */
int org_import(cli_ctx *ctx, int argc, char **argv);  /* cmd_org_import.c */
int org_tree(cli_ctx *ctx, int argc, char **argv);    /* cmd_org_tree.c */
int org_show(cli_ctx *ctx, int argc, char **argv);    /* cmd_org_tree.c */
int org_history(cli_ctx *ctx, int argc, char **argv); /* cmd_org_history.c */

/* A unit as JSON: its own fields, with its parent as a reference (cmd_org.c). */
json_t *org_unit_json(cli_ctx *ctx, const cbc_unit *u);

/* "历下区/济钢二厂/轧钢车间" and "R1/E1/W1": the names and external ids
 * from the root down to @p unit_id, into @p names and @p ids (either may be
 * NULL), and as JSON references into @p refs (may be NULL).  CLI_OK or an
 * exit status (message printed). */
int org_unit_path(cli_ctx *ctx, int64_t unit_id, char *names, size_t names_size, char *ids,
                  size_t ids_size, json_t *refs);

/* Role bits as names (JSON array) or as Chinese labels joined by "、". */
json_t *org_roles_json(unsigned int roles);
void org_roles_text(unsigned int roles, char *buf, size_t size);

#endif
