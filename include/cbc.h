/**
 * @file cbc.h
 * @brief libcbc umbrella header: includes every public module header.
 *
 * libcbc runs the trade-union safety campaign 查保促 ("find the hazards around
 * you, keep workers safe, help the enterprise grow") on an embedded database.
 */
#ifndef CBC_H
#define CBC_H

#include "cbc/common.h"
#include "cbc/db.h"
#include "cbc/org.h"
#include "cbc/hazard.h"
#include "cbc/activity.h"
#include "cbc/stats.h"
#include "cbc/filing.h"
#include "cbc/history.h"
#include "cbc/reward.h"
#include "cbc/label.h"
#include "cbc/account.h"

#endif /* CBC_H */
