/* log.h - logging to stderr (stdout belongs to the stdio transport).
 *
 * Text lines look like Python's logging default, `LEVEL:component:message`
 * (the seed's `INFO:EWSClient:Creating impersonated account for X`), or one
 * JSON object per line with log_set_json(1). Thread-safe: each line is
 * written whole. An optional hook receives every line that passes the
 * level (the MCP layer turns it into notifications/message).
 */
#ifndef INCLUDE_log_h__
#define INCLUDE_log_h__

typedef enum log_level {
	LOG_LEVEL_DEBUG = 10,
	LOG_LEVEL_INFO = 20,
	LOG_LEVEL_WARNING = 30,
	LOG_LEVEL_ERROR = 40
} log_level;

/* Parses DEBUG|INFO|WARNING|WARN|ERROR (any case); 0 or -1. */
int log_level_parse(log_level *out, const char *text);
const char *log_level_name(log_level level);

void log_set_level(log_level level);
log_level log_get_level(void);
void log_set_json(int enabled);

/* Non-zero when a message at this level would be written. */
int log_enabled(log_level level);

void log_msg(log_level level, const char *component, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Called (outside the log lock) for every line written; NULL to remove. */
typedef void (*log_hook_fn)(log_level level, const char *component,
			    const char *message, void *payload);
void log_set_hook(log_hook_fn hook, void *payload);

#define log_debug(comp, ...) log_msg(LOG_LEVEL_DEBUG, comp, __VA_ARGS__)
#define log_info(comp, ...) log_msg(LOG_LEVEL_INFO, comp, __VA_ARGS__)
#define log_warning(comp, ...) log_msg(LOG_LEVEL_WARNING, comp, __VA_ARGS__)
#define log_error(comp, ...) log_msg(LOG_LEVEL_ERROR, comp, __VA_ARGS__)

#endif
