/* cfg_env.c - fuzz target: the .env parser and the configuration loader
 * (src/core/cfg_env.c, cfg.c).
 *
 * The input is the text of a .env file. It goes through
 * cfg_parse_env_text() as given (up to a NUL, as a C string), then
 * through cfg_load() as a real file (NUL bytes and all, which the loader
 * must refuse), so every recognised variable also runs its conversion and
 * check; a loaded configuration is dumped (masking) and reloaded with the
 * required-settings check on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cfg.h"
#include "core/log.h"

static char env_path[64];
static FILE *devnull;
static char *const empty_env[] = { NULL };

static int init(void)
{
	int fd;

	if (env_path[0])
		return 0;
	log_set_level(LOG_LEVEL_ERROR); /* unknown EWS_* names warn: noise */
	snprintf(env_path, sizeof(env_path), "/tmp/ews-fuzz-env-XXXXXX");
	fd = mkstemp(env_path);
	if (fd < 0) {
		env_path[0] = '\0';
		return -1;
	}
	close(fd);
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

static void remove_env_file(void) __attribute__((destructor));
static void remove_env_file(void)
{
	if (env_path[0])
		unlink(env_path);
}

static int on_pair(const char *name, const char *value, int line, void *payload)
{
	size_t *n = payload;

	/* Touch every byte, so a bad pointer shows here. */
	*n += strlen(name) + strlen(value) + (size_t)(line > 0);
	return 0;
}

static void load(int skip_required)
{
	cfg_load_options o = CFG_LOAD_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;

	o.env_file = env_path;
	o.env_file_explicit = 1;
	o.environ = empty_env;
	o.skip_required = skip_required;
	if (cfg_load(&c, &o, &err) == 0) {
		cfg_dump(c, devnull);
		cfg_free(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	errinfo err = ERRINFO_INIT;
	char *text;
	size_t n = 0;
	FILE *f;

	if (init() < 0)
		abort();
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cfg_parse_env_text(text, "fuzz.env", on_pair, &n, &err);
	free(text);

	f = fopen(env_path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	load(1);
	load(0);
	return 0;
}
