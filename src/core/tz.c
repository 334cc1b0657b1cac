/* tz.c - IANA time zones from TZif files, and wall-time <-> UTC
 * conversion (the tz_zone_*, tz_local_to_utc and tz_cache_* parts of
 * tz.h).
 *
 * The file format is RFC 8536: a version 1 block with 32-bit transition
 * times, then (version 2 and later) the same data with 64-bit times and a
 * footer holding a POSIX TZ string that describes every time after the
 * last transition ("CET-1CEST,M3.5.0,M10.5.0/3"). Leap-second records are
 * skipped: "right/" zones would be off by the leap seconds, as in most
 * other readers. Zones are immutable once built, so lookups need the
 * cache lock only to find them.
 */
#include "core/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZIF_MAX_FILE (1024 * 1024)

/* One POSIX TZ rule date: Jn (1..365, Feb 29 never counted), n (0..365)
 * or Mm.w.d (day d of week w of month m, w = 5 meaning the last). */
typedef struct tz_rule {
	char kind; /* 'J', 'D' or 'M' */
	int day, week, month;
	int32_t time; /* local seconds after midnight; may pass 24 h */
} tz_rule;

typedef struct tz_posix {
	int present;
	int has_dst;
	int32_t std_off; /* seconds east of UTC */
	int32_t dst_off;
	tz_rule start, end;
} tz_posix;

typedef struct tz_type {
	int32_t utoff;
	int isdst;
} tz_type;

struct tz_zone {
	char *name;
	size_t count;          /* transitions */
	int64_t *times;        /* ascending UTC seconds */
	unsigned char *index;  /* type after each transition */
	size_t ntypes;
	tz_type *types;
	tz_posix footer;
	struct tz_zone *next;  /* cache list */
};

static tz_type utc_type = { 0, 0 };
static struct tz_zone utc_zone = { (char *)"UTC", 0, NULL, NULL, 1, &utc_type,
				   { 0, 0, 0, 0, { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 } },
				   NULL };

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz_zone *cache_head;

/* Names that mean UTC in the tz database; answered without tzdata. */
static const char *const utc_names[] = {
	"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal",
	"Etc/Zulu", "Zulu", "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0",
	"Etc/GMT-0", "GMT0", "GMT+0", "GMT-0", "Etc/Greenwich", "Greenwich",
};

const tz_zone *tz_zone_utc(void)
{
	return &utc_zone;
}

const char *tz_zone_name(const tz_zone *zone)
{
	return zone->name;
}

void tz_zone_free(tz_zone *zone)
{
	if (!zone || zone == &utc_zone)
		return;
	free(zone->name);
	free(zone->times);
	free(zone->index);
	free(zone->types);
	free(zone);
}

/* ---- POSIX TZ strings (the TZif footer) ---- */

static int parse_name(const char **pp)
{
	const char *p = *pp;
	int n = 0;

	if (*p == '<') {
		for (p++; *p && *p != '>'; p++)
			n++;
		if (*p != '>')
			return -1;
		p++;
	} else {
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
			p++;
			n++;
		}
	}
	if (n < 1)
		return -1;
	*pp = p;
	return 0;
}

/* [+-]h[hh][:mm[:ss]] with hours up to max_h; seconds into *out. */
static int parse_hms(int32_t *out, const char **pp, int max_h)
{
	const char *p = *pp;
	int sign = 1, h = 0, m = 0, s = 0, nd = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	while (*p >= '0' && *p <= '9' && nd < 3) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || h > max_h)
		return -1;
	if (*p == ':') {
		p++;
		if (p[0] < '0' || p[0] > '5' || p[1] < '0' || p[1] > '9')
			return -1;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == ':') {
			p++;
			if (p[0] < '0' || p[0] > '5' || p[1] < '0' || p[1] > '9')
				return -1;
			s = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	*pp = p;
	return 0;
}

static int parse_num(int *out, const char **pp, int lo, int hi)
{
	const char *p = *pp;
	int v = 0, nd = 0;

	while (*p >= '0' && *p <= '9' && nd < 4) {
		v = v * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || v < lo || v > hi)
		return -1;
	*out = v;
	*pp = p;
	return 0;
}

static int parse_rule(tz_rule *r, const char **pp)
{
	const char *p = *pp;

	memset(r, 0, sizeof(*r));
	if (*p == 'J') {
		p++;
		r->kind = 'J';
		if (parse_num(&r->day, &p, 1, 365) < 0)
			return -1;
	} else if (*p == 'M') {
		p++;
		r->kind = 'M';
		if (parse_num(&r->month, &p, 1, 12) < 0 || *p++ != '.' ||
		    parse_num(&r->week, &p, 1, 5) < 0 || *p++ != '.' ||
		    parse_num(&r->day, &p, 0, 6) < 0)
			return -1;
	} else {
		r->kind = 'D';
		if (parse_num(&r->day, &p, 0, 365) < 0)
			return -1;
	}
	r->time = 7200;
	if (*p == '/') {
		p++;
		/* RFC 8536 section 3.3.1 allows -167..167 hours here. */
		if (parse_hms(&r->time, &p, 167) < 0)
			return -1;
	}
	*pp = p;
	return 0;
}

/* Parses a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". */
static int parse_posix(tz_posix *tz, const char *s)
{
	const char *p = s;
	int32_t off;

	memset(tz, 0, sizeof(*tz));
	if (parse_name(&p) < 0 || parse_hms(&off, &p, 24) < 0)
		return -1;
	tz->std_off = -off; /* POSIX offsets count hours west of Greenwich */
	tz->present = 1;
	if (*p == '\0')
		return 0;
	if (parse_name(&p) < 0)
		return -1;
	tz->has_dst = 1;
	tz->dst_off = tz->std_off + 3600;
	if (*p && *p != ',') {
		if (parse_hms(&off, &p, 24) < 0)
			return -1;
		tz->dst_off = -off;
	}
	if (*p == '\0') {
		/* No rule: the US rules, as glibc and the TZ default assume. */
		tz->start = (tz_rule){ 'M', 0, 2, 3, 7200 };
		tz->end = (tz_rule){ 'M', 0, 1, 11, 7200 };
		return 0;
	}
	if (*p++ != ',' || parse_rule(&tz->start, &p) < 0 || *p++ != ',' ||
	    parse_rule(&tz->end, &p) < 0 || *p != '\0')
		return -1;
	return 0;
}

static int leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Local seconds (since the epoch, as if local were UTC) at which rule r
 * fires in year y. */
static int64_t rule_local(const tz_rule *r, int y)
{
	int64_t jan1 = tz_days_from_civil(y, 1, 1), day;

	switch (r->kind) {
	case 'J':
		day = jan1 + r->day - 1 + (leap_year(y) && r->day >= 60);
		break;
	case 'D':
		day = jan1 + r->day;
		break;
	default: {
		int64_t first = tz_days_from_civil(y, r->month, 1);
		int wd = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01: Thursday */
		int len = tz_days_in_month(y, r->month);
		int64_t d = (r->day - wd + 7) % 7 + (int64_t)(r->week - 1) * 7;

		while (d >= len)
			d -= 7;
		day = first + d;
		break;
	}
	}
	return day * 86400 + r->time;
}

static int32_t posix_offset(const tz_posix *tz, int64_t utc, int *is_dst)
{
	int64_t start, end, local = utc + tz->std_off;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int y, m, d, dst;

	if (!tz->has_dst) {
		*is_dst = 0;
		return tz->std_off;
	}
	tz_civil_from_days(&y, &m, &d, days);
	/* start is given in standard time, end in daylight time. */
	start = rule_local(&tz->start, y) - tz->std_off;
	end = rule_local(&tz->end, y) - tz->dst_off;
	if (start < end)
		dst = utc >= start && utc < end;
	else /* southern hemisphere: DST spans the new year */
		dst = !(utc >= end && utc < start);
	*is_dst = dst;
	return dst ? tz->dst_off : tz->std_off;
}

/* ---- offsets and conversion ---- */

int32_t tz_zone_offset(const tz_zone *zone, int64_t utc, int *is_dst)
{
	size_t lo, hi;
	int dst_dummy;
	const tz_type *t;

	if (!is_dst)
		is_dst = &dst_dummy;
	if (zone->footer.present &&
	    (zone->count == 0 || utc >= zone->times[zone->count - 1]))
		return posix_offset(&zone->footer, utc, is_dst);
	if (zone->count == 0 || utc < zone->times[0]) {
		/* RFC 8536 3.2: before the first transition, type 0 applies. */
		t = &zone->types[0];
	} else {
		lo = 0;
		hi = zone->count; /* times[lo] <= utc < times[hi] */
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			if (zone->times[mid] <= utc)
				lo = mid;
			else
				hi = mid;
		}
		t = &zone->types[zone->index[lo]];
	}
	*is_dst = t->isdst;
	return t->utoff;
}

/* Real offsets change at most once in a day around any instant, and lie
 * within -26 h..+26 h, so the offsets a day before and a day after the
 * wall time are the only candidates (two transitions within 48 hours do
 * not occur in the tz database). */
int64_t tz_local_to_utc(const tz_zone *zone, int64_t local)
{
	int32_t before = tz_zone_offset(zone, local - 86400 - 93600, NULL);
	int32_t after = tz_zone_offset(zone, local + 86400 + 93600, NULL);
	int64_t u1 = local - before, u2 = local - after;
	int ok1 = tz_zone_offset(zone, u1, NULL) == before;
	int ok2 = tz_zone_offset(zone, u2, NULL) == after;

	if (ok1 && ok2)
		return u1 < u2 ? u1 : u2; /* overlap: the first occurrence */
	if (ok1)
		return u1;
	if (ok2)
		return u2;
	return u1; /* gap: keep the offset from before the jump (fold=0) */
}

/* ---- TZif parsing ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_header {
	int version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_header;

static int read_header(tzif_header *h, const unsigned char *p, size_t len)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	h->version = p[4] ? p[4] - '0' : 1;
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	return 0;
}

/* Size of the data block after a header; SIZE_MAX if absurd. */
static size_t block_size(const tzif_header *h, size_t tsize)
{
	if (h->timecnt > 100000 || h->typecnt > 256 || h->charcnt > 100000 ||
	    h->leapcnt > 100000 || h->isstdcnt > 256 || h->isutcnt > 256)
		return SIZE_MAX;
	return (size_t)h->timecnt * tsize + h->timecnt + (size_t)h->typecnt * 6 +
	       h->charcnt + (size_t)h->leapcnt * (tsize + 4) + h->isstdcnt +
	       h->isutcnt;
}

static int tzif_fail(tz_zone *z, errinfo *err, const char *name, const char *why)
{
	tz_zone_free(z);
	return errinfo_set(err, ERR_PARSE, "time zone '%s': corrupt TZif data: %s",
			   name, why);
}

int tz_zone_from_tzif(tz_zone **out, const char *name, const void *data,
		      size_t len, errinfo *err)
{
	const unsigned char *p = data, *end = p + len, *blk;
	tzif_header h;
	size_t tsize = 4, bsize, i;
	tz_zone *z;

	*out = NULL;
	z = calloc(1, sizeof(*z));
	if (!z || !(z->name = strdup(name ? name : "")))
		return tzif_fail(z, err, name, "out of memory");
	if (read_header(&h, p, len) < 0)
		return tzif_fail(z, err, name, "no TZif magic");
	bsize = block_size(&h, 4);
	if (bsize == SIZE_MAX || bsize > len - 44)
		return tzif_fail(z, err, name, "version 1 data truncated");
	blk = p + 44;
	if (h.version >= 2) {
		/* Skip the 32-bit block; the 64-bit one supersedes it. */
		const unsigned char *h2 = blk + bsize;

		if (read_header(&h, h2, (size_t)(end - h2)) < 0)
			return tzif_fail(z, err, name, "second header missing");
		tsize = 8;
		bsize = block_size(&h, 8);
		blk = h2 + 44;
		if (bsize == SIZE_MAX || bsize > (size_t)(end - blk))
			return tzif_fail(z, err, name, "version 2+ data truncated");
	}
	if (h.typecnt == 0)
		return tzif_fail(z, err, name, "no local time types");

	z->count = h.timecnt;
	z->ntypes = h.typecnt;
	z->times = calloc(h.timecnt ? h.timecnt : 1, sizeof(*z->times));
	z->index = calloc(h.timecnt ? h.timecnt : 1, 1);
	z->types = calloc(h.typecnt, sizeof(*z->types));
	if (!z->times || !z->index || !z->types)
		return tzif_fail(z, err, name, "out of memory");
	for (i = 0; i < h.timecnt; i++) {
		const unsigned char *t = blk + i * tsize;

		z->times[i] = tsize == 8 ? be64(t) : (int64_t)(int32_t)be32(t);
		if (i > 0 && z->times[i] <= z->times[i - 1])
			return tzif_fail(z, err, name, "transition times not ascending");
	}
	blk += (size_t)h.timecnt * tsize;
	for (i = 0; i < h.timecnt; i++) {
		z->index[i] = blk[i];
		if (blk[i] >= h.typecnt)
			return tzif_fail(z, err, name, "transition names a missing type");
	}
	blk += h.timecnt;
	for (i = 0; i < h.typecnt; i++) {
		int32_t off = (int32_t)be32(blk + i * 6);

		/* RFC 8536 3.2: utoff must lie in -89999..93599. */
		if (off < -89999 || off > 93599)
			return tzif_fail(z, err, name, "UTC offset out of range");
		z->types[i].utoff = off;
		z->types[i].isdst = blk[i * 6 + 4] != 0;
	}
	blk += (size_t)h.typecnt * 6 + h.charcnt + (size_t)h.leapcnt * (tsize + 4) +
	       h.isstdcnt + h.isutcnt;

	if (h.version >= 2 && blk < end && *blk == '\n') {
		const unsigned char *nl = memchr(blk + 1, '\n', (size_t)(end - blk - 1));
		char footer[256];
		size_t flen;

		if (!nl)
			return tzif_fail(z, err, name, "footer not terminated");
		flen = (size_t)(nl - blk - 1);
		if (flen >= sizeof(footer))
			return tzif_fail(z, err, name, "footer too long");
		memcpy(footer, blk + 1, flen);
		footer[flen] = '\0';
		if (flen > 0 && parse_posix(&z->footer, footer) < 0)
			return tzif_fail(z, err, name, "footer is not a POSIX TZ string");
	}
	*out = z;
	return 0;
}

/* ---- the zone cache ---- */

static int is_utc_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(utc_names) / sizeof(utc_names[0]); i++)
		if (strcasecmp(name, utc_names[i]) == 0)
			return 1;
	return 0;
}

/* A zone name becomes a path below TZDIR, so it must stay inside. */
static int valid_name(const char *name)
{
	const char *p;

	if (!*name || strlen(name) > 200 || name[0] == '/' || name[0] == '.')
		return 0;
	for (p = name; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		      *p == '-' || *p == '+' || *p == '.'))
			return 0;
		if (*p == '/' && (p[1] == '.' || p[1] == '/' || p[1] == '\0'))
			return 0;
	}
	return 1;
}

static int load_zone(tz_zone **out, const char *name, errinfo *err)
{
	const char *dir = getenv("TZDIR");
	unsigned char *data = NULL;
	char path[512];
	struct stat st;
	size_t got = 0;
	int fd, error;

	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && stat(dir, &st) != 0)
			return errinfo_set(err, ERR_NOTFOUND,
					   "unknown time zone '%s': the time zone database %s is missing (install tzdata)",
					   name, dir);
		return errinfo_set(err, ERR_NOTFOUND,
				   "unknown time zone '%s' (use an IANA name such as Europe/Berlin or America/New_York)",
				   name);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 44 ||
	    st.st_size > TZIF_MAX_FILE) {
		close(fd);
		return errinfo_set(err, ERR_NOTFOUND,
				   "unknown time zone '%s' (use an IANA name such as Europe/Berlin or America/New_York)",
				   name);
	}
	data = malloc((size_t)st.st_size);
	if (!data) {
		close(fd);
		return errinfo_set(err, ERR_NOMEM, "time zone '%s': out of memory", name);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got < 4 || memcmp(data, "TZif", 4) != 0) {
		free(data);
		return errinfo_set(err, ERR_NOTFOUND,
				   "unknown time zone '%s' (%s is not a TZif file)",
				   name, path);
	}
	error = tz_zone_from_tzif(out, name, data, got, err);
	free(data);
	return error;
}

int tz_zone_get(const tz_zone **out, const char *name, errinfo *err)
{
	tz_zone *z, *loaded = NULL;
	int error = 0;

	*out = NULL;
	if (!name || !*name)
		return errinfo_set(err, ERR_INVAL,
				   "empty time zone name (example: Europe/Berlin)");
	if (is_utc_name(name)) {
		*out = &utc_zone;
		return 0;
	}
	if (!valid_name(name))
		return errinfo_set(err, ERR_INVAL,
				   "'%s' is not a time zone name (example: Europe/Berlin)",
				   name);
	pthread_mutex_lock(&cache_lock);
	for (z = cache_head; z; z = z->next) {
		if (strcmp(z->name, name) == 0) {
			*out = z;
			goto done;
		}
	}
	error = load_zone(&loaded, name, err);
	if (error == 0) {
		loaded->next = cache_head;
		cache_head = loaded;
		*out = loaded;
	}
done:
	pthread_mutex_unlock(&cache_lock);
	return error;
}

void tz_cache_clear(void)
{
	tz_zone *z, *next;

	pthread_mutex_lock(&cache_lock);
	for (z = cache_head; z; z = next) {
		next = z->next;
		tz_zone_free(z);
	}
	cache_head = NULL;
	pthread_mutex_unlock(&cache_lock);
}
