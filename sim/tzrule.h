/* tzrule.h - the time zone of a GetUserAvailability request (EWS
 * t:TimeZone, schema type SerializableTimeZone): a base bias plus a
 * standard and a daylight period, each with its own bias and the yearly
 * rule that starts it (Time on the DayOrder'th DayOfWeek of Month,
 * DayOrder 5 meaning the last one; Month 0 in both meaning no daylight
 * time). It is the Windows TIME_ZONE_INFORMATION model Exchange's
 * availability service uses, so biases are minutes *west* of UTC:
 * UTC = local + Bias + period Bias.
 *
 * Instants are epoch seconds (UTC); "local" values are seconds since
 * 1970-01-01T00:00:00 on the zone's wall clock. A wall time that does not
 * exist (clocks go forward) or exists twice (clocks go back) resolves the
 * way core/tz.h does: the offset in force before the change, so a skipped
 * time moves forward by the gap and a repeated time means its first
 * occurrence.
 */
#ifndef INCLUDE_sim_tzrule_h__
#define INCLUDE_sim_tzrule_h__

#include <stdint.h>

#include <libxml/tree.h>

#include "sim/util.h"

/* One period: its bias and the rule of the transition into it. */
typedef struct sim_tzrule_period {
	int bias;        /* minutes, added to the base bias */
	int month;       /* 1..12, or 0 (no transition) */
	int day_order;   /* 1..4, 5 = the last such weekday of the month */
	int day_of_week; /* 0 = Sunday .. 6 = Saturday */
	int time;        /* seconds after local midnight, on the clock before */
} sim_tzrule_period;

typedef struct sim_tzrule {
	int bias;                  /* minutes west of UTC */
	sim_tzrule_period std;     /* StandardTime */
	sim_tzrule_period dst;     /* DaylightTime */
	int has_dst;               /* 0: the standard bias applies all year */
} sim_tzrule;

/* Reads a t:TimeZone element (SerializableTimeZone). 0, or -1 with st set
 * to ErrorTimeZone naming the element and what is wrong with it: a
 * missing or non-numeric Bias, a Time that is not HH:MM[:SS], a Month
 * outside 0..12, a DayOrder outside 1..5 (0 only with Month 0), a
 * DayOfWeek that is not a weekday name, only one of the two periods
 * having a transition, or both transitions on the same day with
 * different biases. Both on the same day with equal biases is read as no
 * daylight time, with a warning in the log: Exchange's availability
 * service refuses any such pair ("The specified time zone isn't valid."),
 * but ews-mcp's own client still sends one for UTC. */
int sim_tzrule_parse(sim_tzrule *out, const xmlNode *tz, sim_status *st);

/* Minutes to add to a local time in force at instant utc to get UTC
 * (Bias + StandardTime/Bias or Bias + DaylightTime/Bias). */
int sim_tzrule_bias_at(const sim_tzrule *z, int64_t utc);

/* The instant of a wall-clock time (see the top of this file for gaps and
 * repeated hours). */
int64_t sim_tzrule_to_utc(const sim_tzrule *z, int64_t local);

/* The wall-clock time of utc, as local seconds. */
int64_t sim_tzrule_to_local(const sim_tzrule *z, int64_t utc);

/* Writes utc as the zone's wall time without an offset,
 * "2025-03-30T03:00:00" (out: at least 32 bytes), as the availability
 * service returns its times. */
void sim_tzrule_format(char *out, const sim_tzrule *z, int64_t utc);

#endif
