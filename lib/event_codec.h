/* The stored form of a hazard event's data (docs/storage.md): a compact,
 * deterministic binary encoding of the move, decoded back to exactly the
 * JSON object cbc__move_to_json() makes of the same move, so every caller
 * of the history sees the JSON it always saw.  Not exported.
 *
 *   data   = version field*         version = 0x01
 *   field  = tag value              tags strictly increasing (table in
 *                                   lib/event_codec.c), each at most once
 *   tag    = varint                 unsigned LEB128, shortest form
 *   value  = int:  zigzag varint of the value, never 0 (0 is left out)
 *          | time: zigzag varint of (value - the event's time), wrapping
 *          | text: varint byte length (never 0), then that much UTF-8
 *          | ref:  nothing: the report's own fields (reporter, unit,
 *                  enterprise, time observed, title, description,
 *                  location, source, proposed severity) are the hazard
 *                  row's, which no move changes (schema step 13 -> 14)
 *
 * One move has one encoding (a report: given its hazard row; see
 * docs/storage.md for what stays open).  Data stored as JSON text (files
 * from before schema step 14 whose JSON the encoding could not reproduce
 * byte for byte, or rows written by hand) is still read as JSON. */
#ifndef CBC_EVENT_CODEC_H
#define CBC_EVENT_CODEC_H

#include "internal.h"

struct cbc__move;

/* The packed form of @p m, owned by the caller (cbc__free).  @p row is the
 * hazard as stored after the move: a REPORT whose fields equal the row's
 * refers to them instead of repeating them.  0 or CBC_ENOMEM. */
int cbc__move_pack(const struct cbc__move *m, const cbc_hazard *row, unsigned char **out,
                   size_t *len);

/* The JSON of a packed event (owned by the caller, cbc__free).  @p ev gives
 * the action and time the packed fields are relative to, and the id named
 * in errors; @p row the hazard as stored (its report fields), or NULL.
 * 0; CBC_ECORRUPT for bytes that are not a canonical encoding (or a
 * reference to a row not given); CBC_ENOMEM. */
int cbc__event_json(const unsigned char *data, size_t len, const cbc_hazard_event *ev,
                    const cbc_hazard *row, char **json);

/* The migration's conversion of a stored JSON event (schema step 13 -> 14):
 * its packed form in *out (owned by the caller) when unpacking that gives
 * back exactly @p json, else *out = NULL (the JSON is kept as it is).
 * 0 or CBC_ENOMEM. */
int cbc__event_repack(const char *json, const cbc_hazard_event *ev, const cbc_hazard *row,
                      unsigned char **out, size_t *len);

/* The integer field @p name (a JSON key of cbc__move_to_json) of an
 * event's data, packed (@p packed) or JSON text; 0 when absent.  0;
 * CBC_ECORRUPT; CBC_ENOMEM. */
int cbc__event_int(const void *data, size_t len, bool packed, const cbc_hazard_event *ev,
                   const char *name, int64_t *out);

#endif
