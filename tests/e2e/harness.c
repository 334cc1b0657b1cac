/* harness.c - see harness.h. */
#define _GNU_SOURCE /* pipe2 */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static json_t *org;
static char org_file[4096];

ews_sim *e2e_sim_start(const char *org_rel_path)
{
	ews_sim_options o = EWS_SIM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	ews_sim *sim = NULL;
	const char *src = getenv("EWS_SOURCE_DIR");

	snprintf(org_file, sizeof(org_file), "%s/%s", src ? src : "../..", org_rel_path);
	json_decref(org);
	org = json_load_file(org_file, 0, NULL);
	o.org_path = org_file;
	o.db_path = ":memory:";
	o.quiet = 1;
	if (ews_sim_start(&sim, &o, &err) < 0) {
		fprintf(stderr, "e2e: sim: %s\n", err.msg);
		return NULL;
	}
	return sim;
}

const char *e2e_password(const char *smtp)
{
	json_t *u;
	size_t i;

	json_array_foreach(json_object_get(org, "users"), i, u)
		if (strcmp(json_string_value(json_object_get(u, "smtp")), smtp) == 0)
			return json_string_value(json_object_get(u, "password"));
	return "";
}

/* ---- HTTP to the sim -------------------------------------------------------- */

typedef struct sink {
	char *data;
	size_t len;
} sink;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	sink *s = ud;
	char *grown = realloc(s->data, s->len + size * n + 1);

	if (!grown)
		return 0;
	s->data = grown;
	memcpy(s->data + s->len, p, size * n);
	s->len += size * n;
	s->data[s->len] = '\0';
	return size * n;
}

static char *http(const char *url, const char *user, const char *body)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	sink s = { NULL, 0 };
	char userpwd[512];

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (user) {
		snprintf(userpwd, sizeof(userpwd), "%s:%s", user, e2e_password(user));
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
	}
	if (body) {
		h = curl_slist_append(h, "Content-Type: text/xml; charset=utf-8");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	CURLcode rc = curl_easy_perform(c);

	if (rc != CURLE_OK) {
		fprintf(stderr, "e2e: %s: %s\n", url, curl_easy_strerror(rc));
		free(s.data);
		s.data = NULL;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return s.data;
}

char *e2e_soap(ews_sim *sim, const char *user, const char *body)
{
	char url[512];

	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", ews_sim_url(sim));
	return http(url, user, body);
}

json_t *e2e_sim_stats(ews_sim *sim)
{
	char url[512], *text;
	json_t *j;

	snprintf(url, sizeof(url), "%s/sim/stats", ews_sim_url(sim));
	text = http(url, NULL, NULL);
	j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return j;
}

char *e2e_sim_post(ews_sim *sim, const char *path, const char *body)
{
	char url[512];

	snprintf(url, sizeof(url), "%s%s", ews_sim_url(sim), path);
	return http(url, NULL, body ? body : "");
}

int e2e_count(const char *hay, const char *needle)
{
	size_t len = strlen(needle);
	int n = 0;

	while (len && (hay = strstr(hay, needle))) {
		n++;
		hay += len;
	}
	return n;
}

json_t *e2e_folder_subjects(ews_sim *sim, const char *user, const char *folder)
{
	char body[2048], *answer;
	xmlDoc *doc;
	xmlXPathContext *xp;
	xmlXPathObject *res;
	json_t *out = json_array();
	int i;

	snprintf(body, sizeof(body),
		 "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		 "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
		 "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
		 "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		 "<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/></soap:Header>"
		 "<soap:Body><m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
		 "<t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		 "<t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties></m:ItemShape>"
		 "<m:IndexedPageItemView MaxEntriesReturned=\"1000\" Offset=\"0\" BasePoint=\"Beginning\"/>"
		 "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"><t:Mailbox>"
		 "<t:EmailAddress>%s</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>"
		 "</m:ParentFolderIds></m:FindItem></soap:Body></soap:Envelope>", folder, user);
	answer = e2e_soap(sim, user, body);
	if (!answer)
		return out;
	doc = xmlReadMemory(answer, (int)strlen(answer), NULL, NULL, XML_PARSE_NONET);
	free(answer);
	if (!doc)
		return out;
	xp = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xp, BAD_CAST "t",
			   BAD_CAST "http://schemas.microsoft.com/exchange/services/2006/types");
	res = xmlXPathEvalExpression(BAD_CAST "//t:Items/*/t:Subject", xp);
	for (i = 0; res && res->nodesetval && i < res->nodesetval->nodeNr; i++) {
		xmlChar *t = xmlNodeGetContent(res->nodesetval->nodeTab[i]);

		json_array_append_new(out, json_string((const char *)t));
		xmlFree(t);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	return out;
}

/* ---- the ews-mcp child --------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Next complete line from the child, or NULL after 60 s / EOF. */
static char *read_line(e2e_server *s)
{
	for (;;) {
		char *nl = memchr(s->pending, '\n', s->npending);
		struct pollfd pfd = { s->from_child, POLLIN, 0 };
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - s->pending);
			char *line = malloc(len + 1);

			memcpy(line, s->pending, len);
			line[len] = '\0';
			memmove(s->pending, nl + 1, s->npending - len - 1);
			s->npending -= len + 1;
			return line;
		}
		if (s->npending == sizeof(s->pending) || poll(&pfd, 1, 60000) <= 0)
			return NULL;
		n = read(s->from_child, s->pending + s->npending, sizeof(s->pending) - s->npending);
		if (n <= 0)
			return NULL;
		s->npending += (size_t)n;
	}
}

/* Lines may be longer than the window for big answers: grow as needed. */
json_t *e2e_request(e2e_server *s, const char *method, const char *params_json)
{
	char *line;
	json_t *msg;
	long id = s->next_id++;
	char head[256];

	snprintf(head, sizeof(head), "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"%s\"", id,
		 method);
	if (write_all(s->to_child, head, strlen(head)) < 0 ||
	    (params_json && (write_all(s->to_child, ",\"params\":", 10) < 0 ||
			     write_all(s->to_child, params_json, strlen(params_json)) < 0)) ||
	    write_all(s->to_child, "}\n", 2) < 0)
		return NULL;
	while ((line = read_line(s))) {
		msg = json_loads(line, 0, NULL);
		if (!msg) {
			fprintf(stderr, "e2e: not JSON on stdout: %s\n", line);
			free(line);
			return NULL;
		}
		free(line);
		if (json_integer_value(json_object_get(msg, "id")) == id &&
		    !json_object_get(msg, "method"))
			return msg;
		json_decref(msg); /* notifications */
	}
	fprintf(stderr, "e2e: no answer to %s\n", method);
	return NULL;
}

json_t *e2e_call(e2e_server *s, const char *tool, const char *args_json)
{
	json_t *msg, *result;
	size_t n = strlen(args_json) + strlen(tool) + 64;
	char *params = malloc(n);

	snprintf(params, n, "{\"name\":\"%s\",\"arguments\":%s}", tool, args_json);
	msg = e2e_request(s, "tools/call", params);
	free(params);
	if (!msg)
		return NULL;
	if (json_object_get(msg, "error")) {
		char *t = json_dumps(msg, JSON_COMPACT);

		fprintf(stderr, "e2e: %s: %s\n", tool, t);
		free(t);
		json_decref(msg);
		return NULL;
	}
	result = json_incref(json_object_get(msg, "result"));
	json_decref(msg);
	return result;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

/* Removes a test's working folder and everything in it. */
static void remove_tree(const char *dir)
{
	if (dir[0])
		nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* In the child: the settings every run of ews-mcp gets, then extra. */
static void child_settings(ews_sim *sim, const char *service_account,
			   const char *const *extra, const char *dir)
{
	char url[512], path[600];
	const char *const *kv;

	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", ews_sim_url(sim));
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	/* The test's own variables are not settings of the server. */
	unsetenv("EWS_SOURCE_DIR");
	unsetenv("EWS_BINARY_DIR");
	unsetenv("EWS_SHARED_DIR");
	unsetenv("EWS_SCHEMA_DIR");
	unsetenv("EWS_MCP_BIN");
	setenv("EWS_SERVER_URL", url, 1);
	setenv("EWS_EMAIL", service_account, 1);
	setenv("EWS_AUTH_TYPE", "basic", 1);
	setenv("EWS_USERNAME", service_account, 1);
	setenv("EWS_PASSWORD", e2e_password(service_account), 1);
	setenv("EWS_IMPERSONATION_ENABLED", "true", 1);
	setenv("EWS_IMPERSONATION_TYPE", "impersonation", 1);
	setenv("AUDIT_LOG_PATH", path, 1);
	setenv("DATA_DIR", dir, 1);
	setenv("LOG_LEVEL", "WARNING", 1);
	setenv("TIMEZONE", "Europe/Berlin", 1);
	/* Tests call faster than any person; the limit has its own test. */
	setenv("RATE_LIMIT_ENABLED", "false", 1);
	for (kv = extra; kv && *kv; kv++) {
		char name[128];
		const char *eq = strchr(*kv, '=');

		snprintf(name, sizeof(name), "%.*s", (int)(eq - *kv), *kv);
		setenv(name, eq + 1, 1);
	}
}

int e2e_run(char **out, ews_sim *sim, const char *service_account,
	    const char *const *extra, const char *const *args)
{
	char dir[] = "/tmp/ews-e2e-XXXXXX";
	const char *bin = getenv("EWS_MCP_BIN");
	char *argv[16];
	size_t len = 0, cap = 65536;
	int fds[2], status = 0, i;
	pid_t pid;
	ssize_t n;

	*out = calloc(1, cap);
	if (!bin || !mkdtemp(dir) || pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	argv[0] = (char *)bin;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		if (chdir(dir) < 0)
			_exit(127);
		child_settings(sim, service_account, extra, dir);
		execv(bin, argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], *out + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			*out = realloc(*out, cap *= 2);
		}
	}
	(*out)[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	remove_tree(dir);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

pid_t e2e_spawn_url(char *url, size_t cap, ews_sim *sim, const char *service_account,
		    const char *const *extra)
{
	char dir[] = "/tmp/ews-e2e-XXXXXX";
	const char *bin = getenv("EWS_MCP_BIN");
	size_t len = 0;
	int fds[2];
	pid_t pid;

	if (!bin || !mkdtemp(dir) || pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		if (chdir(dir) < 0)
			_exit(127);
		child_settings(sim, service_account, extra, dir);
		execl(bin, bin, "serve", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* The URL is the first line; read byte by byte up to its end. */
	while (len + 1 < cap) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		char c;

		if (poll(&pfd, 1, 30000) <= 0 || read(fds[0], &c, 1) != 1)
			break;
		if (c == '\n')
			break;
		url[len++] = c;
	}
	url[len] = '\0';
	/* fds[0] stays open: the server may still write to stdout, and a closed
	 * pipe would kill it with SIGPIPE. It is closed when the test exits. */
	if (strncmp(url, "http://", 7) != 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

int e2e_server_start(e2e_server *s, ews_sim *sim, const char *service_account,
		     const char *const *extra)
{
	int in[2], out[2];
	char dir[] = "/tmp/ews-e2e-XXXXXX";
	const char *bin = getenv("EWS_MCP_BIN");
	json_t *init;

	memset(s, 0, sizeof(s[0]));
	s->next_id = 1;
	/* Close-on-exec: a second server started later must not inherit this
	 * one's pipe ends, or closing our end would never reach it as EOF. */
	if (!bin || !mkdtemp(dir) || pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		return -1;
	snprintf(s->audit_path, sizeof(s->audit_path), "%s/audit.log", dir);
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		if (chdir(dir) < 0)
			_exit(127);
		child_settings(sim, service_account, extra, dir);
		execl(bin, bin, "serve", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->to_child = in[1];
	s->from_child = out[0];
	init = e2e_request(s, "initialize", "{\"protocolVersion\":\"2025-11-25\","
			   "\"capabilities\":{},\"clientInfo\":{\"name\":\"e2e\",\"version\":\"1\"}}");
	if (!init)
		return -1;
	json_decref(init);
	{
		static const char note[] =
			"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";

		write_all(s->to_child, note, sizeof(note) - 1);
	}
	return 0;
}

int e2e_server_stop(e2e_server *s)
{
	int status = 0;

	if (s->pid <= 0)
		return -1;
	close(s->to_child); /* EOF: the server exits by itself */
	waitpid(s->pid, &status, 0);
	close(s->from_child);
	s->pid = 0;
	remove_tree(s->dir);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const char *e2e_str(const json_t *result, const char *key)
{
	return json_string_value(json_object_get(json_object_get(result, "structuredContent"), key));
}

int e2e_is_error(const json_t *result)
{
	return json_is_true(json_object_get(result, "isError"));
}
