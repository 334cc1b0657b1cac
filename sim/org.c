/* org.c - loading and validating the org JSON file (format: README.md, "Org files"),
 * and the directory look-ups the rest of the sim needs (login forms,
 * aliases, UPN, SID, apps, groups, delegate entries).
 *
 * Validation is strict: an unknown key, a wrong type, a duplicate address
 * or a reference to a user that does not exist fails the load with the
 * JSON path of the offending value, so a typo in an org file never turns
 * into a silently missing permission.
 */
#include "sim/org.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *lower_dup(const char *s)
{
	char *d = strdup(s);
	char *p;

	if (!d)
		return NULL;
	for (p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* Checks that obj has only keys from the NULL-terminated list. */
static int check_keys(const json_t *obj, const char *path,
		      const char *const *allowed, errinfo *err)
{
	const char *key;
	json_t *val;
	size_t i;

	json_object_foreach((json_t *)obj, key, val) {
		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (!allowed[i])
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.%s: unknown key", path, key);
	}
	return 0;
}

/* A string member: required (must be a non-empty string) or optional
 * (absent -> *out NULL). The string is borrowed from the document. */
static int get_str(const char **out, const json_t *obj, const char *key,
		   int required, const char *path, errinfo *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return errinfo_set(err, ERR_INVAL, "org: %s.%s: missing",
					   path, key);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return errinfo_set(err, ERR_INVAL,
				   "org: %s.%s: must be a non-empty string",
				   path, key);
	*out = json_string_value(v);
	return 0;
}

static int valid_smtp(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && at[1] && !strchr(at + 1, '@') &&
	       !strpbrk(s, " <>\"\\,;");
}

/* Resolves a user reference (an SMTP address) at path to a user index. */
static int get_user_ref(int *out, const sim_org *org, const json_t *v,
			const char *path, errinfo *err)
{
	if (!json_is_string(v))
		return errinfo_set(err, ERR_INVAL,
				   "org: %s: must be an SMTP address string",
				   path);
	*out = sim_org_find_smtp(org, json_string_value(v), NULL);
	if (*out < 0)
		return errinfo_set(err, ERR_INVAL,
				   "org: %s: \"%s\" is not a user of the org",
				   path, json_string_value(v));
	return 0;
}

/* A list of user references ("mailboxes": [...]). */
static int get_user_list(int **out, size_t *n, const sim_org *org,
			 const json_t *arr, const char *path, errinfo *err)
{
	char sub[256];
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return errinfo_set(err, ERR_INVAL,
				   "org: %s: must be an array of SMTP addresses",
				   path);
	*out = calloc(json_array_size(arr) + 1, sizeof(int));
	if (!*out)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	*n = 0;
	json_array_foreach(arr, i, v) {
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (get_user_ref(&(*out)[i], org, v, sub, err) < 0)
			return err->code;
		(*n)++;
	}
	return 0;
}

static int load_users(sim_org *org, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "smtp", "upn", "name", "password",
		"department", "title", "aliases", "type", NULL };
	char path[64];
	size_t i, j;
	json_t *u, *a;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return errinfo_set(err, ERR_INVAL,
				   "org: users: must be a non-empty array");
	org->users = calloc(json_array_size(arr), sizeof(sim_user));
	if (!org->users)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	json_array_foreach(arr, i, u) {
		sim_user *usr = &org->users[i];
		const char *smtp, *upn, *name, *pw, *dept, *title, *type;
		json_t *aliases;

		snprintf(path, sizeof(path), "users[%zu]", i);
		if (!json_is_object(u))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: must be an object", path);
		if (check_keys(u, path, keys, err) < 0 ||
		    get_str(&smtp, u, "smtp", 1, path, err) < 0 ||
		    get_str(&upn, u, "upn", 0, path, err) < 0 ||
		    get_str(&name, u, "name", 1, path, err) < 0 ||
		    get_str(&pw, u, "password", 0, path, err) < 0 ||
		    get_str(&dept, u, "department", 0, path, err) < 0 ||
		    get_str(&title, u, "title", 0, path, err) < 0 ||
		    get_str(&type, u, "type", 0, path, err) < 0)
			return err->code;
		if (!valid_smtp(smtp))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.smtp: \"%s\" is not an SMTP address",
					   path, smtp);
		if (sim_org_find_smtp(org, smtp, NULL) >= 0)
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.smtp: \"%s\" is used twice",
					   path, smtp);
		if (type && strcmp(type, "user") != 0 && strcmp(type, "room") != 0)
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.type: must be \"user\" or \"room\"",
					   path);
		usr->smtp = lower_dup(smtp);
		usr->upn = lower_dup(upn ? upn : smtp);
		usr->name = strdup(name);
		usr->password = pw ? strdup(pw) : NULL;
		usr->department = strdup(dept ? dept : "");
		usr->title = title ? strdup(title) : NULL;
		usr->is_room = type && strcmp(type, "room") == 0;
		{
			char sid[96];

			snprintf(sid, sizeof(sid),
				 "S-1-5-21-2127521184-1604012920-1887927527-%zu",
				 1000 + i);
			usr->sid = strdup(sid);
		}
		org->nusers = i + 1;
		if (!usr->smtp || !usr->upn || !usr->name || !usr->department ||
		    !usr->sid)
			return errinfo_set(err, ERR_NOMEM, "org: out of memory");
		aliases = json_object_get(u, "aliases");
		if (aliases) {
			if (!json_is_array(aliases))
				return errinfo_set(err, ERR_INVAL,
						   "org: %s.aliases: must be an array of SMTP addresses",
						   path);
			usr->aliases = calloc(json_array_size(aliases) + 1,
					      sizeof(char *));
			if (!usr->aliases)
				return errinfo_set(err, ERR_NOMEM, "org: out of memory");
			json_array_foreach(aliases, j, a) {
				if (!json_is_string(a) ||
				    !valid_smtp(json_string_value(a)))
					return errinfo_set(err, ERR_INVAL,
							   "org: %s.aliases[%zu]: must be an SMTP address",
							   path, j);
				if (sim_org_find_smtp(org, json_string_value(a),
						      NULL) >= 0)
					return errinfo_set(err, ERR_INVAL,
							   "org: %s.aliases[%zu]: \"%s\" is used twice",
							   path, j, json_string_value(a));
				usr->aliases[j] = lower_dup(json_string_value(a));
				if (!usr->aliases[j])
					return errinfo_set(err, ERR_NOMEM,
							   "org: out of memory");
				usr->naliases = j + 1;
			}
		}
	}
	return 0;
}

static int load_impersonation(sim_org *org, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "account", "scope", NULL };
	char path[64], sub[96];
	size_t i;
	json_t *e, *scope;

	if (!json_is_array(arr))
		return errinfo_set(err, ERR_INVAL,
				   "org: impersonation: must be an array");
	org->imps = calloc(json_array_size(arr) + 1, sizeof(sim_impersonation));
	if (!org->imps)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	json_array_foreach(arr, i, e) {
		sim_impersonation *imp = &org->imps[i];

		snprintf(path, sizeof(path), "impersonation[%zu]", i);
		org->nimps = i + 1;
		if (!json_is_object(e))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: must be an object", path);
		if (check_keys(e, path, keys, err) < 0)
			return err->code;
		snprintf(sub, sizeof(sub), "%s.account", path);
		if (get_user_ref(&imp->account, org,
				 json_object_get(e, "account"), sub, err) < 0)
			return err->code;
		scope = json_object_get(e, "scope");
		snprintf(sub, sizeof(sub), "%s.scope", path);
		if (json_is_string(scope) &&
		    strcmp(json_string_value(scope), "all") == 0) {
			imp->kind = SIM_SCOPE_ALL;
		} else if (json_is_object(scope) &&
			   json_object_get(scope, "department") &&
			   json_object_size(scope) == 1) {
			const char *d;

			if (get_str(&d, scope, "department", 1, sub, err) < 0)
				return err->code;
			imp->kind = SIM_SCOPE_DEPARTMENT;
			imp->department = strdup(d);
			if (!imp->department)
				return errinfo_set(err, ERR_NOMEM, "org: out of memory");
		} else if (json_is_object(scope) &&
			   json_object_get(scope, "mailboxes") &&
			   json_object_size(scope) == 1) {
			imp->kind = SIM_SCOPE_LIST;
			snprintf(sub, sizeof(sub), "%s.scope.mailboxes", path);
			if (get_user_list(&imp->mailboxes, &imp->nmailboxes, org,
					  json_object_get(scope, "mailboxes"),
					  sub, err) < 0)
				return err->code;
		} else {
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: must be \"all\", {\"department\": NAME} or {\"mailboxes\": [SMTP,...]}",
					   sub);
		}
	}
	return 0;
}

static int parse_perm(sim_perm *out, const json_t *v, const char *path,
		      errinfo *err)
{
	static const char *const names[] = { "None", "Reviewer", "Author",
					     "Editor" };
	int i;

	if (json_is_string(v))
		for (i = 0; i < 4; i++)
			if (strcasecmp(json_string_value(v), names[i]) == 0) {
				*out = (sim_perm)i;
				return 0;
			}
	return errinfo_set(err, ERR_INVAL,
			   "org: %s: must be one of None, Reviewer, Author, Editor",
			   path);
}

static int load_delegates(sim_org *org, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "mailbox", "delegate",
		"permissions", "send_on_behalf", NULL };
	static const char *const pkeys[] = { "inbox", "calendar", "contacts",
					     "tasks", NULL };
	char path[64], sub[128];
	size_t i;
	int k;
	json_t *e, *perms, *sob;

	if (!json_is_array(arr))
		return errinfo_set(err, ERR_INVAL,
				   "org: delegates: must be an array");
	org->delegates = calloc(json_array_size(arr) + 1, sizeof(sim_delegate));
	if (!org->delegates)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	json_array_foreach(arr, i, e) {
		sim_delegate *d = &org->delegates[i];

		snprintf(path, sizeof(path), "delegates[%zu]", i);
		org->ndelegates = i + 1;
		if (!json_is_object(e))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: must be an object", path);
		if (check_keys(e, path, keys, err) < 0)
			return err->code;
		snprintf(sub, sizeof(sub), "%s.mailbox", path);
		if (get_user_ref(&d->mailbox, org, json_object_get(e, "mailbox"),
				 sub, err) < 0)
			return err->code;
		snprintf(sub, sizeof(sub), "%s.delegate", path);
		if (get_user_ref(&d->delegate, org,
				 json_object_get(e, "delegate"), sub, err) < 0)
			return err->code;
		if (d->mailbox == d->delegate)
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: a user cannot be their own delegate",
					   path);
		perms = json_object_get(e, "permissions");
		snprintf(sub, sizeof(sub), "%s.permissions", path);
		if (perms) {
			if (!json_is_object(perms))
				return errinfo_set(err, ERR_INVAL,
						   "org: %s: must be an object", sub);
			if (check_keys(perms, sub, pkeys, err) < 0)
				return err->code;
			for (k = 0; k < SIM_PF_COUNT; k++) {
				json_t *v = json_object_get(perms, pkeys[k]);
				char psub[160];

				snprintf(psub, sizeof(psub), "%s.%s", sub, pkeys[k]);
				if (v && parse_perm(&d->perm[k], v, psub, err) < 0)
					return err->code;
			}
		}
		sob = json_object_get(e, "send_on_behalf");
		if (sob && !json_is_boolean(sob))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.send_on_behalf: must be true or false",
					   path);
		d->send_on_behalf = sob && json_is_true(sob);
	}
	return 0;
}

static int load_send_as(sim_org *org, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "mailbox", "account", NULL };
	char path[64], sub[96];
	size_t i;
	json_t *e;

	if (!json_is_array(arr))
		return errinfo_set(err, ERR_INVAL, "org: send_as: must be an array");
	org->send_as = calloc(json_array_size(arr) + 1, sizeof(sim_send_as));
	if (!org->send_as)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	json_array_foreach(arr, i, e) {
		snprintf(path, sizeof(path), "send_as[%zu]", i);
		org->nsend_as = i + 1;
		if (!json_is_object(e))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: must be an object", path);
		if (check_keys(e, path, keys, err) < 0)
			return err->code;
		snprintf(sub, sizeof(sub), "%s.mailbox", path);
		if (get_user_ref(&org->send_as[i].mailbox, org,
				 json_object_get(e, "mailbox"), sub, err) < 0)
			return err->code;
		snprintf(sub, sizeof(sub), "%s.account", path);
		if (get_user_ref(&org->send_as[i].account, org,
				 json_object_get(e, "account"), sub, err) < 0)
			return err->code;
	}
	return 0;
}

static int load_apps(sim_org *org, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "tenant", "tenant_id", "client_id",
		"client_secret", "roles", "mailboxes", NULL };
	char path[64], sub[96];
	size_t i, j;
	json_t *e, *roles, *r;

	if (!json_is_array(arr))
		return errinfo_set(err, ERR_INVAL, "org: apps: must be an array");
	org->apps = calloc(json_array_size(arr) + 1, sizeof(sim_org_app));
	if (!org->apps)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	json_array_foreach(arr, i, e) {
		sim_org_app *app = &org->apps[i];
		const char *tenant, *tenant_id, *cid, *secret;

		snprintf(path, sizeof(path), "apps[%zu]", i);
		org->napps = i + 1;
		if (!json_is_object(e))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: must be an object", path);
		if (check_keys(e, path, keys, err) < 0 ||
		    get_str(&tenant, e, "tenant", 1, path, err) < 0 ||
		    get_str(&tenant_id, e, "tenant_id", 0, path, err) < 0 ||
		    get_str(&cid, e, "client_id", 1, path, err) < 0 ||
		    get_str(&secret, e, "client_secret", 1, path, err) < 0)
			return err->code;
		if (sim_org_find_app(org, cid) >= 0)
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.client_id: \"%s\" is used twice",
					   path, cid);
		app->tenant = strdup(tenant);
		app->tenant_id = strdup(tenant_id ? tenant_id : tenant);
		app->client_id = strdup(cid);
		app->client_secret = strdup(secret);
		if (!app->tenant || !app->tenant_id || !app->client_id ||
		    !app->client_secret)
			return errinfo_set(err, ERR_NOMEM, "org: out of memory");
		roles = json_object_get(e, "roles");
		if (!json_is_array(roles))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.roles: must be an array of role names",
					   path);
		json_array_foreach(roles, j, r) {
			if (!json_is_string(r))
				return errinfo_set(err, ERR_INVAL,
						   "org: %s.roles[%zu]: must be a string",
						   path, j);
			if (strcmp(json_string_value(r), "full_access_as_app") == 0)
				app->full_access = 1;
		}
		if (json_object_get(e, "mailboxes")) {
			snprintf(sub, sizeof(sub), "%s.mailboxes", path);
			app->scoped = 1;
			if (get_user_list(&app->mailboxes, &app->nmailboxes, org,
					  json_object_get(e, "mailboxes"), sub,
					  err) < 0)
				return err->code;
		}
	}
	return 0;
}

static int load_groups(sim_org *org, const json_t *arr, errinfo *err)
{
	static const char *const keys[] = { "smtp", "name", "members", NULL };
	char path[64], sub[96];
	size_t i;
	json_t *e;

	if (!json_is_array(arr))
		return errinfo_set(err, ERR_INVAL, "org: groups: must be an array");
	org->groups = calloc(json_array_size(arr) + 1, sizeof(sim_group));
	if (!org->groups)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	json_array_foreach(arr, i, e) {
		sim_group *g = &org->groups[i];
		const char *smtp, *name;

		snprintf(path, sizeof(path), "groups[%zu]", i);
		org->ngroups = i + 1;
		if (!json_is_object(e))
			return errinfo_set(err, ERR_INVAL,
					   "org: %s: must be an object", path);
		if (check_keys(e, path, keys, err) < 0 ||
		    get_str(&smtp, e, "smtp", 1, path, err) < 0 ||
		    get_str(&name, e, "name", 1, path, err) < 0)
			return err->code;
		if (!valid_smtp(smtp) || sim_org_find_smtp(org, smtp, NULL) >= 0 ||
		    sim_org_find_group(org, smtp) >= 0)
			return errinfo_set(err, ERR_INVAL,
					   "org: %s.smtp: \"%s\" is not a free SMTP address",
					   path, smtp);
		g->smtp = lower_dup(smtp);
		g->name = strdup(name);
		if (!g->smtp || !g->name)
			return errinfo_set(err, ERR_NOMEM, "org: out of memory");
		snprintf(sub, sizeof(sub), "%s.members", path);
		if (get_user_list(&g->members, &g->nmembers, org,
				  json_object_get(e, "members"), sub, err) < 0)
			return err->code;
	}
	return 0;
}

static int load_content_keys(const sim_org *org, const json_t *content,
			     errinfo *err)
{
	const char *key;
	json_t *val;

	if (!json_is_object(content))
		return errinfo_set(err, ERR_INVAL,
				   "org: content: must be an object keyed by SMTP address");
	json_object_foreach((json_t *)content, key, val) {
		if (sim_org_find_smtp(org, key, NULL) < 0)
			return errinfo_set(err, ERR_INVAL,
					   "org: content.%s: not a user of the org", key);
		if (!json_is_object(val))
			return errinfo_set(err, ERR_INVAL,
					   "org: content.%s: must be an object", key);
	}
	return 0;
}

int sim_org_load(sim_org **out, const char *path, const char *json,
		 errinfo *err)
{
	static const char *const keys[] = { "domain", "users", "impersonation",
		"delegates", "send_as", "apps", "groups", "content", NULL };
	json_error_t jerr;
	sim_org *org;
	const char *domain;
	json_t *v;
	char *p;
	int error;

	*out = NULL;
	org = calloc(1, sizeof(*org));
	if (!org)
		return errinfo_set(err, ERR_NOMEM, "org: out of memory");
	org->root = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &jerr)
			 : json_loads(json ? json : "", JSON_REJECT_DUPLICATES,
				      &jerr);
	if (!org->root) {
		error = errinfo_set(err, path ? ERR_IO : ERR_INVAL,
				    "org: %s: line %d column %d: %s",
				    path ? path : "(text)", jerr.line,
				    jerr.column, jerr.text);
		goto fail;
	}
	if (!json_is_object(org->root)) {
		error = errinfo_set(err, ERR_INVAL,
				    "org: the document must be a JSON object");
		goto fail;
	}
	error = check_keys(org->root, "(root)", keys, err);
	if (error == 0)
		error = get_str(&domain, org->root, "domain", 1, "(root)", err);
	if (error < 0)
		goto fail;
	org->domain = lower_dup(domain);
	org->netbios = strdup(domain);
	if (!org->domain || !org->netbios) {
		error = errinfo_set(err, ERR_NOMEM, "org: out of memory");
		goto fail;
	}
	p = strchr(org->netbios, '.');
	if (p)
		*p = '\0';
	for (p = org->netbios; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	error = load_users(org, json_object_get(org->root, "users"), err);
	if (error == 0 && (v = json_object_get(org->root, "impersonation")))
		error = load_impersonation(org, v, err);
	if (error == 0 && (v = json_object_get(org->root, "delegates")))
		error = load_delegates(org, v, err);
	if (error == 0 && (v = json_object_get(org->root, "send_as")))
		error = load_send_as(org, v, err);
	if (error == 0 && (v = json_object_get(org->root, "apps")))
		error = load_apps(org, v, err);
	if (error == 0 && (v = json_object_get(org->root, "groups")))
		error = load_groups(org, v, err);
	if (error == 0 && (v = json_object_get(org->root, "content"))) {
		error = load_content_keys(org, v, err);
		org->content = v;
	}
	if (error < 0)
		goto fail;
	*out = org;
	return 0;
fail:
	sim_org_free(org);
	return error < 0 ? error : ERR_INVAL;
}

void sim_org_free(sim_org *org)
{
	size_t i, j;

	if (!org)
		return;
	for (i = 0; i < org->nusers; i++) {
		sim_user *u = &org->users[i];

		free(u->smtp);
		free(u->upn);
		free(u->name);
		if (u->password)
			memset(u->password, 0, strlen(u->password));
		free(u->password);
		free(u->department);
		free(u->title);
		free(u->sid);
		for (j = 0; j < u->naliases; j++)
			free(u->aliases[j]);
		free(u->aliases);
	}
	free(org->users);
	for (i = 0; i < org->nimps; i++) {
		free(org->imps[i].department);
		free(org->imps[i].mailboxes);
	}
	free(org->imps);
	free(org->delegates);
	free(org->send_as);
	for (i = 0; i < org->napps; i++) {
		free(org->apps[i].tenant);
		free(org->apps[i].tenant_id);
		free(org->apps[i].client_id);
		free(org->apps[i].client_secret);
		free(org->apps[i].mailboxes);
	}
	free(org->apps);
	for (i = 0; i < org->ngroups; i++) {
		free(org->groups[i].smtp);
		free(org->groups[i].name);
		free(org->groups[i].members);
	}
	free(org->groups);
	free(org->domain);
	free(org->netbios);
	json_decref(org->root);
	free(org);
}

int sim_org_find_smtp(const sim_org *org, const char *smtp, int *is_primary)
{
	size_t i, j;

	if (!smtp)
		return -1;
	for (i = 0; i < org->nusers; i++) {
		if (org->users[i].smtp && strcasecmp(org->users[i].smtp, smtp) == 0) {
			if (is_primary)
				*is_primary = 1;
			return (int)i;
		}
		for (j = 0; j < org->users[i].naliases; j++)
			if (strcasecmp(org->users[i].aliases[j], smtp) == 0) {
				if (is_primary)
					*is_primary = 0;
				return (int)i;
			}
	}
	return -1;
}

int sim_org_find_upn(const sim_org *org, const char *upn)
{
	size_t i;

	for (i = 0; upn && i < org->nusers; i++)
		if (strcasecmp(org->users[i].upn, upn) == 0)
			return (int)i;
	return -1;
}

int sim_org_find_sid(const sim_org *org, const char *sid)
{
	size_t i;

	for (i = 0; sid && i < org->nusers; i++)
		if (strcasecmp(org->users[i].sid, sid) == 0)
			return (int)i;
	return -1;
}

/* Local part of addr equals user (case-insensitive). */
static int local_part_is(const char *addr, const char *user)
{
	const char *at = strchr(addr, '@');
	size_t n = at ? (size_t)(at - addr) : strlen(addr);

	return strlen(user) == n && strncasecmp(addr, user, n) == 0;
}

int sim_org_find_login(const sim_org *org, const char *login)
{
	const char *bs;
	size_t i;
	int idx;

	if (!login || !*login)
		return -1;
	bs = strchr(login, '\\');
	if (bs) {
		size_t dlen = (size_t)(bs - login);
		const char *user = bs + 1;

		/* DOMAIN\user: NetBIOS name or the DNS domain. */
		if (!((strlen(org->netbios) == dlen &&
		       strncasecmp(org->netbios, login, dlen) == 0) ||
		      (strlen(org->domain) == dlen &&
		       strncasecmp(org->domain, login, dlen) == 0)))
			return -1;
		for (i = 0; i < org->nusers; i++)
			if (local_part_is(org->users[i].smtp, user) ||
			    local_part_is(org->users[i].upn, user))
				return (int)i;
		return -1;
	}
	idx = sim_org_find_smtp(org, login, NULL);
	if (idx < 0)
		idx = sim_org_find_upn(org, login);
	return idx;
}

int sim_org_find_app(const sim_org *org, const char *client_id)
{
	size_t i;

	for (i = 0; client_id && i < org->napps; i++)
		if (org->apps[i].client_id &&
		    strcasecmp(org->apps[i].client_id, client_id) == 0)
			return (int)i;
	return -1;
}

int sim_org_find_group(const sim_org *org, const char *smtp)
{
	size_t i;

	for (i = 0; smtp && i < org->ngroups; i++)
		if (org->groups[i].smtp && strcasecmp(org->groups[i].smtp, smtp) == 0)
			return (int)i;
	return -1;
}

const sim_delegate *sim_org_delegate(const sim_org *org, int mailbox,
				     int delegate)
{
	size_t i;

	for (i = 0; i < org->ndelegates; i++)
		if (org->delegates[i].mailbox == mailbox &&
		    org->delegates[i].delegate == delegate)
			return &org->delegates[i];
	return NULL;
}

const char *sim_perm_name(sim_perm p)
{
	switch (p) {
	case SIM_PERM_REVIEWER: return "Reviewer";
	case SIM_PERM_AUTHOR: return "Author";
	case SIM_PERM_EDITOR: return "Editor";
	default: return "None";
	}
}
