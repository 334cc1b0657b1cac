/* convert.c - arguments to EWS values and EWS answers to results (convert.h). */
#include "tools/convert.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/b64.h"
#include "core/buf.h"
#include "core/tz.h"
#include "tools/dates.h"

void tools_time_utc(char *out, size_t cap, int64_t utc)
{
	buf b = BUF_INIT(64);

	tz_format_utc(&b, utc);
	snprintf(out, cap, "%s", buf_cstr(&b));
	buf_dispose(&b);
}

json_t *tools_time_local(const char *exchange_time, const cfg *conf)
{
	const tz_zone *zone = NULL;
	errinfo err = ERRINFO_INIT;
	int64_t utc;

	if (!exchange_time)
		return json_null();
	/* Exchange's times without an offset are UTC. */
	if (tools_date_from_exchange(&utc, exchange_time) < 0 ||
	    tools_date_zone(&zone, conf, &err) < 0)
		return json_string(exchange_time);
	return tools_date_local(utc, zone);
}

void tools_localize_times(json_t *obj, const cfg *conf, const char *const *fields)
{
	size_t i;

	for (i = 0; fields[i]; i++) {
		const char *t = json_string_value(json_object_get(obj, fields[i]));

		if (t)
			json_object_set_new(obj, fields[i], tools_time_local(t, conf));
	}
}

int tools_mailboxes(soap_mailbox **out, size_t *n, const json_t *list, errinfo *err)
{
	size_t i, count = json_array_size(list);
	soap_mailbox *m;

	*out = NULL;
	*n = 0;
	if (!count)
		return 0;
	m = calloc(count, sizeof(*m));
	if (!m)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	for (i = 0; i < count; i++)
		m[i].email = json_string_value(json_array_get(list, i));
	*out = m;
	*n = count;
	return 0;
}

/* Markdown to HTML with GitHub's tables, strikethrough and autolinks.
 * Raw HTML in the Markdown is dropped (cmark-gfm's safe default), so a
 * body cannot smuggle scripts or tracking pixels past the converter. */
static char *markdown_to_html(const char *text)
{
	static const char *const names[] = { "table", "strikethrough", "autolink" };
	cmark_parser *parser;
	cmark_node *doc;
	char *html;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!parser)
		return NULL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);

		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, text, strlen(text));
	doc = cmark_parser_finish(parser);
	html = doc ? cmark_render_html(doc, CMARK_OPT_DEFAULT,
				       cmark_parser_get_syntax_extensions(parser)) : NULL;
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return html;
}

/* Looks for something that is plainly markup: "<p", "<br", "</", "<div"... */
static int looks_like_html(const char *s)
{
	const char *p;

	for (p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
		if ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') ||
		    p[1] == '/' || p[1] == '!')
			return 1;
	return 0;
}

int tools_body(char **out, const char **body_type, const char *body,
	       const char *body_format, errinfo *err)
{
	const char *fmt = body_format ? body_format : "html";

	*out = NULL;
	*body_type = "Text";
	if (!body)
		body = "";
	if (strcmp(fmt, "markdown") == 0) {
		*out = markdown_to_html(body);
		*body_type = "HTML";
	} else if (strcmp(fmt, "text") == 0) {
		*out = strdup(body);
	} else if (strcmp(fmt, "html") == 0) {
		*out = strdup(body);
		if (looks_like_html(body))
			*body_type = "HTML";
	} else {
		return errinfo_set(err, ERR_INVAL,
				   "body_format: must be one of html, markdown, text");
	}
	if (!*out)
		return errinfo_set(err, ERR_NOMEM, "out of memory converting the body");
	return 0;
}

/* ---- attachments ---------------------------------------------------------- */

static int add_item(tools_attachments *a, const char *name, const char *type,
		    const char *content_id, int is_inline, buf *data)
{
	soap_file_attachment *grown = realloc(a->items, (a->count + 1) * sizeof(*grown));
	soap_file_attachment *f;

	if (!grown)
		return -1;
	a->items = grown;
	f = &a->items[a->count++];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	f->content_type = type ? strdup(type) : NULL;
	f->content_id = content_id ? strdup(content_id) : NULL;
	f->is_inline = is_inline ? SOAP_TRUE : SOAP_UNSET;
	f->len = data->len;
	f->data = (const unsigned char *)buf_detach(data);
	a->total_bytes += f->len;
	return f->name && f->data ? 0 : -1;
}

static int load_inline(tools_attachments *a, const json_t *list, long max_size,
		       errinfo *err)
{
	size_t i;
	json_t *item;
	char field[64];

	json_array_foreach(list, i, item) {
		const char *name = json_string_value(json_object_get(item, "file_name"));
		const char *content = json_string_value(json_object_get(item, "file_content"));
		buf data = BUF_INIT((size_t)max_size);

		snprintf(field, sizeof(field), "inline_attachments[%zu]", i);
		if (!name || !name[0] || strpbrk(name, "/\\\r\n"))
			return errinfo_set(err, ERR_INVAL, "%s.file_name: a plain file name is required",
					   field);
		if (!content)
			return errinfo_set(err, ERR_INVAL, "%s.file_content: base64 content is required",
					   field);
		if (b64_decode(&data, content, strlen(content), B64_IGNORE_SPACE, err) < 0) {
			buf_dispose(&data);
			errinfo_clear(err);
			return errinfo_set(err, ERR_INVAL, "%s.file_content: not valid base64 or "
					   "larger than MAX_ATTACHMENT_SIZE (%ld bytes)", field, max_size);
		}
		if (add_item(a, name, json_string_value(json_object_get(item, "content_type")),
			     json_string_value(json_object_get(item, "content_id")),
			     json_is_true(json_object_get(item, "is_inline")), &data) < 0) {
			buf_dispose(&data);
			return errinfo_set(err, ERR_NOMEM, "out of memory");
		}
	}
	return 0;
}

/* Reads one local file, refusing anything outside EWS_ATTACHMENT_DIR
 * (after resolving symbolic links and ".."), non-regular files and files
 * over the size limit: a prompt must not be able to mail out /etc/shadow. */
static int load_file(tools_attachments *a, const char *path, const char *dir,
		     long max_size, const char *field, errinfo *err)
{
	char root[PATH_MAX], real[PATH_MAX];
	const char *name;
	struct stat st;
	buf data = BUF_INIT((size_t)max_size);
	char chunk[65536];
	ssize_t n;
	size_t rootlen;
	int fd;

	if (!dir)
		return errinfo_set(err, ERR_ACCESS, "%s: attaching local files is disabled; "
				   "set EWS_ATTACHMENT_DIR to the folder files may be attached "
				   "from, or send the content in inline_attachments", field);
	if (!realpath(dir, root))
		return errinfo_set(err, ERR_CONFIG, "EWS_ATTACHMENT_DIR: %s: %s", dir,
				   strerror(errno));
	if (path[0] != '/') {
		char joined[PATH_MAX * 2];

		snprintf(joined, sizeof(joined), "%s/%s", root, path);
		if (!realpath(joined, real))
			return errinfo_set(err, ERR_NOTFOUND, "%s: %s: %s", field, path,
					   strerror(errno));
	} else if (!realpath(path, real)) {
		return errinfo_set(err, ERR_NOTFOUND, "%s: %s: %s", field, path, strerror(errno));
	}
	rootlen = strlen(root);
	if (strncmp(real, root, rootlen) != 0 || real[rootlen] != '/')
		return errinfo_set(err, ERR_ACCESS, "%s: %s is outside EWS_ATTACHMENT_DIR", field,
				   path);
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer forever, holding a worker; the type is checked on the open
	 * descriptor, so what is read is what was checked. */
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errinfo_set(err, ERR_IO, "%s: %s: %s", field, path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errinfo_set(err, ERR_INVAL, "%s: %s is not a regular file (only "
				   "files can be attached, not FIFOs, devices or sockets)",
				   field, path);
	}
	if (st.st_size > max_size) {
		close(fd);
		return errinfo_set(err, ERR_LIMIT, "%s: %s is larger than MAX_ATTACHMENT_SIZE "
				   "(%ld bytes)", field, path, max_size);
	}
	/* A file that grows while it is read is cut off at the limit. */
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && !buf_failed(&data))
		buf_put(&data, chunk, (size_t)n);
	close(fd);
	if (buf_failed(&data)) {
		buf_dispose(&data);
		return errinfo_set(err, ERR_LIMIT, "%s: %s grew past MAX_ATTACHMENT_SIZE "
				   "(%ld bytes) while it was read", field, path, max_size);
	}
	if (n < 0) {
		buf_dispose(&data);
		return errinfo_set(err, ERR_IO, "%s: reading %s failed: %s", field, path,
				   strerror(errno));
	}
	name = strrchr(real, '/') + 1;
	if (add_item(a, name, NULL, NULL, 0, &data) < 0) {
		buf_dispose(&data);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	return 0;
}

int tools_attachments_load(tools_attachments *out, const json_t *args,
			   const tools_ctx *ctx, errinfo *err)
{
	const json_t *files = json_object_get(args, "attachments");
	long max_size = ctx->conf->max_attachment_size;
	json_t *item;
	char field[64];
	size_t i;

	memset(out, 0, sizeof(*out));
	if (load_inline(out, json_object_get(args, "inline_attachments"), max_size, err) < 0)
		goto fail;
	json_array_foreach(files, i, item) {
		snprintf(field, sizeof(field), "attachments[%zu]", i);
		if (load_file(out, json_string_value(item), ctx->conf->attachment_dir, max_size,
			      field, err) < 0)
			goto fail;
	}
	return 0;
fail:
	tools_attachments_free(out);
	return err->code;
}

void tools_attachments_free(tools_attachments *a)
{
	size_t i;

	for (i = 0; a && i < a->count; i++) {
		free((char *)a->items[i].name);
		free((char *)a->items[i].content_type);
		free((char *)a->items[i].content_id);
		free((unsigned char *)a->items[i].data);
	}
	if (a) {
		free(a->items);
		memset(a, 0, sizeof(*a));
	}
}

json_t *tools_preview(const char *body, size_t max)
{
	buf b = BUF_INIT(4 * max + 8);
	size_t chars = 0;
	int in_tag = 0, space = 0;
	const char *p;
	json_t *out;

	for (p = body ? body : ""; *p && chars < max; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '<') {
			in_tag = 1;
			continue;
		}
		if (in_tag) {
			in_tag = c != '>';
			space = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = 1;
			continue;
		}
		if (space && b.len) {
			buf_putc(&b, ' ');
			chars++;
		}
		space = 0;
		buf_putc(&b, (char)c);
		if ((c & 0xC0) != 0x80)
			chars++;
	}
	/* Do not end in the middle of a UTF-8 sequence. */
	while (b.len && ((unsigned char)b.ptr[b.len - 1] & 0xC0) == 0x80)
		buf_truncate(&b, b.len - 1);
	if (b.len && ((unsigned char)b.ptr[b.len - 1] & 0xC0) == 0xC0)
		buf_truncate(&b, b.len - 1);
	out = json_string(buf_cstr(&b));
	buf_dispose(&b);
	return out ? out : json_string("");
}
