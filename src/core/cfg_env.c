/* cfg_env.c - the .env file syntax (cfg_parse_env_text in cfg.h).
 *
 * The dialect is python-dotenv's, which the Python ews-mcp reads, minus
 * variable interpolation (values are taken literally):
 *
 *   # comment                     blank lines are skipped
 *   export NAME=value             "export " is ignored
 *   NAME = value  # note          unquoted: trimmed, " #" starts a comment
 *   NAME=a#b                      '#' not after whitespace is data
 *   NAME="a \"b\"\n"              double quotes: \n \t \r \" \\ escapes,
 *                                 may span lines
 *   NAME='literal $x \n'          single quotes: no escapes, may span lines
 *
 * CRLF line ends are accepted. Anything else is an error naming the file
 * and line; the offending text is not echoed, since it may be a password.
 */
#include "core/cfg.h"

#include <string.h>

#include "core/buf.h"

#define ENV_VALUE_MAX (64 * 1024)
#define ENV_NAME_MAX 128

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int at_eol(const char *p)
{
	return *p == '\0' || *p == '\n' || (*p == '\r' && (p[1] == '\n' || p[1] == '\0'));
}

static const char *skip_eol(const char *p, int *line)
{
	if (*p == '\r')
		p++;
	if (*p == '\n') {
		p++;
		(*line)++;
	}
	return p;
}

static const char *skip_to_eol(const char *p)
{
	while (*p && *p != '\n')
		p++;
	if (p[-1] == '\r' && *p == '\n')
		return p - 1;
	return p;
}

/* Reads a quoted value starting after the opening quote; *pp ends after
 * the closing quote. */
static int read_quoted(buf *val, const char **pp, int *line, char quote,
		       const char *origin, int start_line, const char *name,
		       errinfo *err)
{
	const char *p = *pp;

	for (;;) {
		char c = *p;

		if (c == '\0')
			return errinfo_set(err, ERR_CONFIG,
					   "%s:%d: unterminated %s-quoted value for %s",
					   origin, start_line,
					   quote == '"' ? "double" : "single", name);
		if (c == quote) {
			p++;
			break;
		}
		if (c == '\r' && p[1] == '\n') {
			p++;
			continue; /* a CRLF inside quotes becomes LF */
		}
		if (c == '\n')
			(*line)++;
		if (c == '\\' && quote == '"') {
			char e = p[1];

			switch (e) {
			case 'n': buf_putc(val, '\n'); p += 2; continue;
			case 't': buf_putc(val, '\t'); p += 2; continue;
			case 'r': buf_putc(val, '\r'); p += 2; continue;
			case '"': buf_putc(val, '"'); p += 2; continue;
			case '\\': buf_putc(val, '\\'); p += 2; continue;
			default:
				break; /* other backslashes are literal */
			}
		}
		buf_putc(val, c);
		p++;
	}
	*pp = p;
	return 0;
}

int cfg_parse_env_text(const char *text, const char *origin, cfg_pair_fn fn,
		       void *payload, errinfo *err)
{
	buf val = BUF_INIT(ENV_VALUE_MAX);
	const char *p = text;
	char name[ENV_NAME_MAX];
	int line = 1, error = 0;

	if (!origin)
		origin = ".env";
	if (!text)
		return 0;
	if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		p += 3; /* UTF-8 byte order mark written by some editors */

	while (*p) {
		int start_line = line;
		size_t n = 0;

		while (is_blank(*p))
			p++;
		if (at_eol(p)) {
			p = skip_eol(p, &line);
			continue;
		}
		if (*p == '#') {
			p = skip_eol(skip_to_eol(p), &line);
			continue;
		}
		if (strncmp(p, "export", 6) == 0 && is_blank(p[6])) {
			p += 6;
			while (is_blank(*p))
				p++;
		}
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_')) {
			error = errinfo_set(err, ERR_CONFIG,
					    "%s:%d: expected NAME=value (a name starts with a letter or '_')",
					    origin, line);
			goto cleanup;
		}
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		       (*p >= '0' && *p <= '9') || *p == '_') {
			if (n + 1 >= sizeof(name)) {
				error = errinfo_set(err, ERR_CONFIG,
						    "%s:%d: variable name longer than %d characters",
						    origin, line, ENV_NAME_MAX - 1);
				goto cleanup;
			}
			name[n++] = *p++;
		}
		name[n] = '\0';
		while (is_blank(*p))
			p++;
		if (*p != '=') {
			error = errinfo_set(err, ERR_CONFIG,
					    "%s:%d: expected '=' after %s (lines are NAME=value)",
					    origin, line, name);
			goto cleanup;
		}
		p++;
		buf_clear(&val);
		if (is_blank(*p)) {
			while (is_blank(*p))
				p++;
			if (*p == '#') /* "NAME= # note": empty value, then comment */
				p = skip_to_eol(p);
		}
		if (*p == '"' || *p == '\'') {
			char quote = *p++;

			error = read_quoted(&val, &p, &line, quote, origin,
					    start_line, name, err);
			if (error < 0)
				goto cleanup;
			while (is_blank(*p))
				p++;
			if (*p == '#')
				p = skip_to_eol(p);
			if (!at_eol(p)) {
				error = errinfo_set(err, ERR_CONFIG,
						    "%s:%d: unexpected text after the closing quote of %s",
						    origin, line, name);
				goto cleanup;
			}
		} else {
			const char *start = p, *end;

			while (!at_eol(p) && !(*p == '#' && p > start && is_blank(p[-1])))
				p++;
			end = p;
			while (end > start && is_blank(end[-1]))
				end--;
			buf_put(&val, start, (size_t)(end - start));
			if (*p == '#')
				p = skip_to_eol(p);
		}
		p = skip_eol(p, &line);
		if (buf_failed(&val)) {
			error = errinfo_set(err, ERR_CONFIG,
					    "%s:%d: value of %s is longer than %d bytes",
					    origin, start_line, name, ENV_VALUE_MAX);
			goto cleanup;
		}
		error = fn(name, buf_cstr(&val), start_line, payload);
		if (error < 0)
			goto cleanup;
	}
cleanup:
	buf_dispose(&val);
	return error;
}
