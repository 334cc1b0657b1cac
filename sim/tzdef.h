/* tzdef.h - Windows time zones, as Exchange names and describes them.
 *
 * Exchange identifies zones by Windows registry id (TimeZoneContext,
 * StartTimeZone/EndTimeZone, GetServerTimeZones). The sim knows every id
 * in the project's Windows <-> IANA table (core/tz.h tz_windows_entry)
 * and takes each zone's rules from the system's tzdata through its
 * primary IANA zone, so its answers follow the real, current rules.
 *
 * A full definition (schema type TimeZoneDefinitionType) is written the
 * way GetServerTimeZones answers it in Microsoft's reference page for
 * that operation: Periods (a Standard and, with daylight time, a
 * Daylight period per rule, Bias west-positive as xs:duration, Ids
 * "trule:Microsoft/Registry/<id>/<year>-Standard"), TransitionsGroups
 * (one per rule: the RecurringDayTransition into daylight time, then the
 * one into standard time, TimeOffset the local time on the clock before
 * the change, Occurrence -1 for "last"), and Transitions (the first group,
 * then an AbsoluteDateTransition on January 1 of each year whose rule
 * differs). Years whose changes do not fit one yearly rule pair (a zone
 * moving its standard offset, more than two changes) are described by
 * AbsoluteDateTransitions straight to periods, at each change's local
 * time.
 */
#ifndef INCLUDE_sim_tzdef_h__
#define INCLUDE_sim_tzdef_h__

#include "core/buf.h"
#include "core/tz.h"

/* The spelling of a known Windows zone id (case is ignored), borrowed from
 * the table; NULL when the id is not one the sim knows. */
const char *sim_tzdef_id(const char *windows_id);

/* The tzdata zone of a Windows id. 0 and *out, or -1 when the id is
 * unknown or its zone cannot be loaded. */
int sim_tzdef_zone(const tz_zone **out, const char *windows_id);

/* Writes <t:ELEM Id="..." Name="(UTC+01:00) Berlin"> for a known Windows
 * id, with Periods, TransitionsGroups and Transitions when full is set,
 * describing the rules of years first_year .. first_year + nyears - 1
 * (nyears 1..8). Returns -1 (nothing written) when the id is unknown or
 * its zone cannot be loaded, else buf_failed(b) ? -1 : 0. */
int sim_tzdef_write(buf *b, const char *elem, const char *windows_id, int full,
		    int first_year, int nyears);

#endif
