/* tzdef.c - Windows zone ids, their tzdata zones, and TimeZoneDefinition
 * elements computed from tzdata (see tzdef.h). */
#include "sim/tzdef.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sim/util.h"
#include "soap/escape.h"

#define MAX_YEARS 8
#define MAX_CHANGES 8
#define MAX_PERIODS (MAX_YEARS * (MAX_CHANGES + 1))

static const char *const weekdays[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };

/* One change of a zone's offset (or of its daylight flag). */
typedef struct change {
	int64_t utc;
	int32_t before, after;   /* seconds east of UTC */
	int dst_after;
	int64_t local;           /* when, on the clock before the change */
} change;

/* A RecurringDayTransition: Occurrence-th DayOfWeek of Month (-1: last),
 * at secs on the clock before the change. */
typedef struct day_rule {
	int month, dow, occurrence, secs;
} day_rule;

typedef enum year_kind { Y_FIXED, Y_RULES, Y_IRREGULAR } year_kind;

/* What one calendar year of a zone looks like. */
typedef struct year_def {
	int year;
	year_kind kind;
	int32_t std_off, dst_off;  /* Y_FIXED: std_off is the offset all year */
	int fixed_dst;             /* Y_FIXED: tzdata flags it as daylight time */
	day_rule to_dst, to_std;   /* Y_RULES */
	change ch[MAX_CHANGES];    /* Y_IRREGULAR */
	size_t nch;
	int32_t jan1_off;          /* in force at local January 1, 00:00 */
	int jan1_dst;
} year_def;

typedef struct period {
	char name[16];             /* Standard / Daylight */
	char tag[80];              /* "2025-Standard" (unique in the zone) */
	int year;
	int32_t off;
	int dst;
} period;

const char *sim_tzdef_id(const char *windows_id)
{
	const char *w, *iana;
	size_t i;

	for (i = 0; windows_id && tz_windows_entry(&w, &iana, i) == 0; i++)
		if (strcasecmp(w, windows_id) == 0)
			return w;
	return NULL;
}

int sim_tzdef_zone(const tz_zone **out, const char *windows_id)
{
	const char *iana = tz_iana_from_windows(windows_id);

	*out = NULL;
	if (!iana || tz_zone_get(out, iana, NULL) < 0)
		return -1;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int weekday(int64_t days)
{
	return (int)(((days % 7) + 7 + 4) % 7);   /* 1970-01-01 was a Thursday */
}

static day_rule rule_of(const change *c)
{
	int64_t days = floor_div(c->local, 86400);
	day_rule r;
	int y, m, d;

	tz_civil_from_days(&y, &m, &d, days);
	r.month = m;
	r.dow = weekday(days);
	r.occurrence = d + 7 > tz_days_in_month(y, m) ? -1 : (d - 1) / 7 + 1;
	r.secs = (int)(c->local - days * 86400);
	return r;
}

/* Finds the changes whose local time falls in year y: a scan week by week
 * (zones never change their clocks twice within a week), then a binary
 * search for the second. */
static void scan_year(year_def *yd, const tz_zone *z, int y)
{
	int64_t a = tz_days_from_civil(y, 1, 1) * 86400 - 86400;
	int64_t e = tz_days_from_civil(y + 1, 1, 1) * 86400 + 86400;
	const int64_t step = 7 * 86400;
	int64_t t;

	memset(yd, 0, sizeof(*yd));
	yd->year = y;
	yd->jan1_off = tz_zone_offset(z, tz_local_to_utc(z, tz_days_from_civil(y, 1, 1) * 86400),
				      &yd->jan1_dst);
	for (t = a; t < e; t += step) {
		int d0, d1, dm, yy, mm, dd;
		int32_t o0 = tz_zone_offset(z, t, &d0), o1 = tz_zone_offset(z, t + step, &d1);
		int64_t lo = t, hi = t + step;
		change c;

		if (o0 == o1 && d0 == d1)
			continue;
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			int32_t om = tz_zone_offset(z, mid, &dm);

			if (om == o0 && dm == d0)
				lo = mid;
			else
				hi = mid;
		}
		c.utc = hi;
		c.before = o0;
		c.after = tz_zone_offset(z, hi, &c.dst_after);
		c.local = hi + o0;
		tz_civil_from_days(&yy, &mm, &dd, floor_div(c.local, 86400));
		if (yy == y && yd->nch < MAX_CHANGES)
			yd->ch[yd->nch++] = c;
	}
	if (yd->nch == 0) {
		yd->kind = Y_FIXED;
		yd->std_off = yd->jan1_off;
		yd->fixed_dst = yd->jan1_dst;
	} else if (yd->nch == 2 && yd->ch[0].dst_after != yd->ch[1].dst_after &&
		   yd->ch[0].before == yd->ch[1].after &&
		   yd->ch[0].after == yd->ch[1].before) {
		const change *to_dst = yd->ch[0].dst_after ? &yd->ch[0] : &yd->ch[1];
		const change *to_std = yd->ch[0].dst_after ? &yd->ch[1] : &yd->ch[0];

		yd->kind = Y_RULES;
		yd->std_off = to_dst->before;
		yd->dst_off = to_dst->after;
		yd->to_dst = rule_of(to_dst);
		yd->to_std = rule_of(to_std);
	} else {
		yd->kind = Y_IRREGULAR;
	}
}

static int same_rule(const day_rule *a, const day_rule *b)
{
	return a->month == b->month && a->dow == b->dow &&
	       a->occurrence == b->occurrence && a->secs == b->secs;
}

static int same_year(const year_def *a, const year_def *b)
{
	if (a->kind != b->kind || a->kind == Y_IRREGULAR)
		return 0;
	if (a->kind == Y_FIXED)
		return a->std_off == b->std_off && a->fixed_dst == b->fixed_dst;
	return a->std_off == b->std_off && a->dst_off == b->dst_off &&
	       same_rule(&a->to_dst, &b->to_dst) && same_rule(&a->to_std, &b->to_std);
}

/* The period of (year, off, dst), added if new. Returns its index. */
static size_t period_get(period *p, size_t *n, int year, int32_t off, int dst)
{
	const char *name = dst ? "Daylight" : "Standard";
	size_t i, same_tag = 0;
	char tag[48];

	for (i = 0; i < *n; i++)
		if (p[i].year == year && p[i].off == off && p[i].dst == dst)
			return i;
	snprintf(tag, sizeof(tag), "%d-%s", year, name);
	for (i = 0; i < *n; i++)
		if (strncmp(p[i].tag, tag, strlen(tag)) == 0)
			same_tag++;
	if (*n == MAX_PERIODS)
		return *n - 1;
	p[*n].year = year;
	p[*n].off = off;
	p[*n].dst = dst;
	snprintf(p[*n].name, sizeof(p[*n].name), "%s", name);
	if (same_tag)
		snprintf(p[*n].tag, sizeof(p[*n].tag), "%s-%zu", tag, same_tag + 1);
	else
		snprintf(p[*n].tag, sizeof(p[*n].tag), "%s", tag);
	return (*n)++;
}

/* xs:duration of a number of seconds: "PT2H", "-PT5H30M", "PT0H". */
static void put_duration(buf *b, int64_t secs)
{
	int64_t a = secs < 0 ? -secs : secs;
	int64_t h = a / 3600, m = a % 3600 / 60, s = a % 60;

	buf_puts(b, secs < 0 ? "-PT" : "PT");
	if (h || (!m && !s))
		buf_printf(b, "%lldH", (long long)h);
	if (m)
		buf_printf(b, "%lldM", (long long)m);
	if (s)
		buf_printf(b, "%lldS", (long long)s);
}

static void put_period_ref(buf *b, const char *id, const period *p)
{
	buf_puts(b, "trule:Microsoft/Registry/");
	soap_put_text(b, id);
	buf_putc(b, '/');
	buf_puts(b, p->tag);
}

static void put_to_period(buf *b, const char *id, const period *p)
{
	buf_puts(b, "<t:To Kind=\"Period\">");
	put_period_ref(b, id, p);
	buf_puts(b, "</t:To>");
}

static void put_local(buf *b, int64_t local)
{
	int64_t days = floor_div(local, 86400), s = local - days * 86400;
	int y, m, d;

	tz_civil_from_days(&y, &m, &d, days);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(s / 3600),
		   (int)(s / 60 % 60), (int)(s % 60));
}

static void put_day_rule(buf *b, const char *id, const period *to, const day_rule *r)
{
	buf_puts(b, "<t:RecurringDayTransition>");
	put_to_period(b, id, to);
	buf_puts(b, "<t:TimeOffset>");
	put_duration(b, r->secs);
	buf_printf(b, "</t:TimeOffset><t:Month>%d</t:Month><t:DayOfWeek>%s</t:DayOfWeek>"
		   "<t:Occurrence>%d</t:Occurrence></t:RecurringDayTransition>",
		   r->month, weekdays[r->dow], r->occurrence);
}

static void put_absolute(buf *b, const char *id, const period *to, int64_t local)
{
	buf_puts(b, "<t:AbsoluteDateTransition>");
	put_to_period(b, id, to);
	buf_puts(b, "<t:DateTime>");
	put_local(b, local);
	buf_puts(b, "</t:DateTime></t:AbsoluteDateTransition>");
}

/* The display name Exchange gives a zone, "(UTC+01:00) ..." with the
 * standard offset; the sim names the place after the IANA zone. */
static void put_name(buf *b, const char *id, const char *iana, const tz_zone *z)
{
	year_def yd;
	int32_t off;
	const char *city;
	char name[160];
	size_t i;
	int y, m, d;

	if (strcmp(id, "UTC") == 0) {
		buf_puts(b, "(UTC) Coordinated Universal Time");
		return;
	}
	/* the standard offset in force this year */
	tz_civil_from_days(&y, &m, &d, floor_div(sim_now(), 86400));
	scan_year(&yd, z, y);
	off = yd.kind == Y_IRREGULAR ? yd.jan1_off : yd.std_off;
	for (i = 0; yd.kind == Y_IRREGULAR && yd.jan1_dst && i < yd.nch; i++)
		if (!yd.ch[i].dst_after) {
			off = yd.ch[i].after;
			break;
		}
	buf_printf(b, "(UTC%c%02d:%02d) ", off < 0 ? '-' : '+', (off < 0 ? -off : off) / 3600,
		   (off < 0 ? -off : off) % 3600 / 60);
	if (strncmp(iana, "Etc/", 4) == 0) {
		soap_put_attr(b, id);
		return;
	}
	city = strrchr(iana, '/');
	snprintf(name, sizeof(name), "%s", city ? city + 1 : iana);
	for (i = 0; name[i]; i++)
		if (name[i] == '_')
			name[i] = ' ';
	soap_put_attr(b, name);
}

int sim_tzdef_write(buf *b, const char *elem, const char *windows_id, int full,
		    int first_year, int nyears)
{
	const char *id = sim_tzdef_id(windows_id), *iana;
	const tz_zone *z;
	year_def years[MAX_YEARS];
	size_t run_start[MAX_YEARS] = { 0 }, nruns = 0, i, k, group = 0;
	size_t run_std[MAX_YEARS] = { 0 }, run_dst[MAX_YEARS] = { 0 };
	period periods[MAX_PERIODS];
	size_t np = 0;
	int ngroups = 0;

	if (!id || sim_tzdef_zone(&z, id) < 0 || nyears < 1 || nyears > MAX_YEARS)
		return -1;
	iana = tz_iana_from_windows(id);
	buf_printf(b, "<t:%s Id=\"", elem);
	soap_put_attr(b, id);
	buf_puts(b, "\" Name=\"");
	put_name(b, id, iana, z);
	buf_puts(b, "\"");
	if (!full) {
		buf_puts(b, "/>");
		return buf_failed(b) ? -1 : 0;
	}
	buf_puts(b, ">");
	for (i = 0; i < (size_t)nyears; i++) {
		scan_year(&years[i], z, first_year + (int)i);
		if (i == 0 || !same_year(&years[i], &years[run_start[nruns - 1]]))
			run_start[nruns++] = i;
	}
	/* periods, in run order */
	for (k = 0; k < nruns; k++) {
		const year_def *yd = &years[run_start[k]];

		if (yd->kind == Y_FIXED) {
			run_std[k] = period_get(periods, &np, yd->year, yd->std_off, yd->fixed_dst);
			ngroups++;
		} else if (yd->kind == Y_RULES) {
			run_std[k] = period_get(periods, &np, yd->year, yd->std_off, 0);
			run_dst[k] = period_get(periods, &np, yd->year, yd->dst_off, 1);
			ngroups++;
		} else {
			run_std[k] = period_get(periods, &np, yd->year, yd->jan1_off, yd->jan1_dst);
			for (i = 0; i < yd->nch; i++)
				period_get(periods, &np, yd->year, yd->ch[i].after, yd->ch[i].dst_after);
		}
	}
	buf_puts(b, "<t:Periods>");
	for (i = 0; i < np; i++) {
		buf_puts(b, "<t:Period Bias=\"");
		put_duration(b, -(int64_t)periods[i].off);
		buf_printf(b, "\" Name=\"%s\" Id=\"", periods[i].name);
		buf_puts(b, "trule:Microsoft/Registry/");
		soap_put_attr(b, id);
		buf_printf(b, "/%s\"/>", periods[i].tag);
	}
	buf_puts(b, "</t:Periods>");
	if (ngroups) {
		buf_puts(b, "<t:TransitionsGroups>");
		for (k = 0; k < nruns; k++) {
			const year_def *yd = &years[run_start[k]];

			if (yd->kind == Y_IRREGULAR)
				continue;
			buf_printf(b, "<t:TransitionsGroup Id=\"%zu\">", group++);
			if (yd->kind == Y_FIXED) {
				buf_puts(b, "<t:Transition>");
				put_to_period(b, id, &periods[run_std[k]]);
				buf_puts(b, "</t:Transition>");
			} else {
				put_day_rule(b, id, &periods[run_dst[k]], &yd->to_dst);
				put_day_rule(b, id, &periods[run_std[k]], &yd->to_std);
			}
			buf_puts(b, "</t:TransitionsGroup>");
		}
		buf_puts(b, "</t:TransitionsGroups>");
	}
	buf_puts(b, "<t:Transitions>");
	group = 0;
	for (k = 0; k < nruns; k++) {
		const year_def *yd = &years[run_start[k]];
		int64_t jan1 = tz_days_from_civil(yd->year, 1, 1) * 86400;

		if (yd->kind != Y_IRREGULAR) {
			if (k == 0)
				buf_printf(b, "<t:Transition><t:To Kind=\"Group\">%zu</t:To>"
					   "</t:Transition>", group);
			else {
				buf_printf(b, "<t:AbsoluteDateTransition><t:To Kind=\"Group\">%zu"
					   "</t:To><t:DateTime>", group);
				put_local(b, jan1);
				buf_puts(b, "</t:DateTime></t:AbsoluteDateTransition>");
			}
			group++;
			continue;
		}
		if (k == 0) {
			buf_puts(b, "<t:Transition>");
			put_to_period(b, id, &periods[run_std[k]]);
			buf_puts(b, "</t:Transition>");
		} else {
			put_absolute(b, id, &periods[run_std[k]], jan1);
		}
		for (i = 0; i < yd->nch; i++)
			put_absolute(b, id, &periods[period_get(periods, &np, yd->year,
						    yd->ch[i].after, yd->ch[i].dst_after)],
				     yd->ch[i].local);
	}
	buf_printf(b, "</t:Transitions></t:%s>", elem);
	return buf_failed(b) ? -1 : 0;
}
