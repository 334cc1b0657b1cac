/* freebusy.c - merging and reading free/busy digit strings (freebusy.h). */
#include "tools/freebusy.h"

#include <string.h>

size_t tools_freebusy_intervals(int64_t start, int64_t end, int64_t interval)
{
	if (end <= start || interval <= 0)
		return 0;
	return (size_t)((end - start + interval - 1) / interval);
}

char tools_freebusy_digit(const char *busy_type)
{
	static const struct { const char *name; char digit; } types[] = {
		{ "Free", '0' }, { "Tentative", '1' }, { "Busy", '2' }, { "OOF", '3' },
		{ "NoData", '4' }, { "WorkingElsewhere", '5' },
	};
	size_t i;

	for (i = 0; busy_type && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(busy_type, types[i].name) == 0)
			return types[i].digit;
	return '2';
}

/* Rank of a digit: higher is less available. Anything unknown is busy,
 * so it never passes for free. */
static int severity(char d)
{
	switch (d) {
	case '0': return 0;   /* free */
	case '5': return 1;   /* working elsewhere: reachable, not at their desk */
	case '4': return 2;   /* no data: not known to be free */
	case '1': return 3;   /* tentative */
	case '2': return 4;   /* busy */
	case '3': return 5;   /* out of office */
	default: return 4;
	}
}

static char worse(char a, char b)
{
	return severity(b) > severity(a) ? b : a;
}

void tools_freebusy_from_events(char *out, size_t n, int64_t start, int64_t interval,
				const tools_fb_event *events, size_t nevents)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		int64_t a = start + (int64_t)i * interval, b = a + interval;
		char d = '0';

		for (j = 0; j < nevents; j++)
			if (events[j].start < b && events[j].end > a)
				d = worse(d, tools_freebusy_digit(events[j].busy_type));
		out[i] = d;
	}
	out[n] = '\0';
}

void tools_freebusy_merge(char *acc, const char *digits, size_t n)
{
	size_t i, len = digits ? strlen(digits) : 0;

	for (i = 0; i < n; i++) {
		char d = i < len ? digits[i] : '4';

		if (d < '0' || d > '9')
			d = '2';
		acc[i] = worse(acc[i], d);
	}
}

size_t tools_freebusy_free_runs(tools_fb_range *out, size_t cap, const char *digits,
				int64_t start, int64_t interval, int64_t end)
{
	size_t i, runs = 0, len = digits ? strlen(digits) : 0;

	for (i = 0; i < len;) {
		size_t j = i;
		int64_t a, b;

		if (digits[i] != '0') {
			i++;
			continue;
		}
		while (j < len && digits[j] == '0')
			j++;
		a = start + (int64_t)i * interval;
		b = start + (int64_t)j * interval;
		if (b > end)
			b = end;
		if (a < b) {
			if (runs < cap) {
				out[runs].start = a;
				out[runs].end = b;
			}
			runs++;
		}
		i = j;
	}
	return runs;
}
