/* log.c - stderr logging in text or JSON lines (see log.h). */
#include "core/log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static log_level current_level = LOG_LEVEL_INFO;
static int json_format;
static log_hook_fn hook_fn;
static void *hook_payload;

static const struct {
	log_level level;
	const char *name;
} levels[] = {
	{ LOG_LEVEL_DEBUG, "DEBUG" },
	{ LOG_LEVEL_INFO, "INFO" },
	{ LOG_LEVEL_WARNING, "WARNING" },
	{ LOG_LEVEL_ERROR, "ERROR" },
};

int log_level_parse(log_level *out, const char *text)
{
	size_t i;

	if (!text)
		return -1;
	if (strcasecmp(text, "WARN") == 0) {
		*out = LOG_LEVEL_WARNING;
		return 0;
	}
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcasecmp(text, levels[i].name) == 0) {
			*out = levels[i].level;
			return 0;
		}
	}
	return -1;
}

const char *log_level_name(log_level level)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (levels[i].level == level)
			return levels[i].name;
	return "INFO";
}

void log_set_level(log_level level)
{
	pthread_mutex_lock(&log_lock);
	current_level = level;
	pthread_mutex_unlock(&log_lock);
}

log_level log_get_level(void)
{
	log_level level;

	pthread_mutex_lock(&log_lock);
	level = current_level;
	pthread_mutex_unlock(&log_lock);
	return level;
}

void log_set_json(int enabled)
{
	pthread_mutex_lock(&log_lock);
	json_format = enabled;
	pthread_mutex_unlock(&log_lock);
}

void log_set_hook(log_hook_fn hook, void *payload)
{
	pthread_mutex_lock(&log_lock);
	hook_fn = hook;
	hook_payload = payload;
	pthread_mutex_unlock(&log_lock);
}

int log_enabled(log_level level)
{
	return level >= log_get_level();
}

static void write_json(log_level level, const char *component, const char *msg)
{
	char stamp[64];
	struct timespec ts;
	struct tm tm;
	json_t *obj;
	char *line;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	obj = json_pack("{s:s, s:s, s:s, s:s}", "timestamp", stamp, "level",
			log_level_name(level), "logger", component, "message", msg);
	line = obj ? json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (line)
		fprintf(stderr, "%s\n", line);
	free(line);
	json_decref(obj);
}

void log_msg(log_level level, const char *component, const char *fmt, ...)
{
	char msg[2048];
	log_hook_fn hook;
	void *payload;
	va_list ap;
	char *p;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One event is one line: a message must not forge another entry. */
	for (p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';

	pthread_mutex_lock(&log_lock);
	if (json_format)
		write_json(level, component, msg);
	else
		fprintf(stderr, "%s:%s:%s\n", log_level_name(level), component, msg);
	fflush(stderr);
	hook = hook_fn;
	payload = hook_payload;
	pthread_mutex_unlock(&log_lock);

	if (hook)
		hook(level, component, msg, payload);
}
