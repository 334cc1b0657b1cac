/* mailbox.c - mailbox contexts and their resolution (see mailbox.h).
 *
 * The log lines are the seed's, with the component name the Python
 * server used ("EWSClient"), so operators' log searches keep working:
 *   INFO  Creating impersonated account for X      (a new context)
 *   INFO  Successfully connected to mailbox: X      (its first success)
 *   DEBUG Using cached account for X               (a cache hit)
 * The same wording is used in delegate mode, as the Python server did.
 */
#include "ews/mailbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "ews/errors.h"
#include "ews/internal.h"

#define LOG_COMP "EWSClient"

int ews_mailbox__new(ews_mailbox **out, const char *address, ews_access access,
		     int impersonate, int primary, errinfo *err)
{
	ews_mailbox *mb = calloc(1, sizeof(*mb));

	*out = NULL;
	if (!mb || !(mb->address = strdup(address))) {
		free(mb);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	atomic_init(&mb->refs, 1);
	atomic_init(&mb->verified, 0);
	pthread_mutex_init(&mb->lock, NULL);
	atomic_init(&mb->access, (int)access);
	atomic_init(&mb->impersonate, impersonate);
	mb->primary = primary;
	*out = mb;
	return 0;
}

void ews_mailbox__retain(ews_mailbox *mb)
{
	atomic_fetch_add(&mb->refs, 1);
}

void ews_mailbox__folders_clear(ews_mailbox *mb)
{
	size_t i;

	pthread_mutex_lock(&mb->lock);
	for (i = 0; i < mb->nfolders; i++) {
		free(mb->folders[i].path);
		free(mb->folders[i].id);
		free(mb->folders[i].change_key);
	}
	free(mb->folders);
	mb->folders = NULL;
	mb->nfolders = 0;
	pthread_mutex_unlock(&mb->lock);
}

void ews_mailbox_free(ews_mailbox *mb)
{
	if (!mb || atomic_fetch_sub(&mb->refs, 1) != 1)
		return;
	ews_mailbox__folders_clear(mb);
	pthread_mutex_destroy(&mb->lock);
	free(mb->address);
	free(mb);
}

const char *ews_mailbox_address(const ews_mailbox *mb)
{
	return mb->address;
}

ews_access ews_mailbox_access(const ews_mailbox *mb)
{
	return (ews_access)atomic_load(&((ews_mailbox *)mb)->access);
}

const char *ews_access_name(ews_access access)
{
	switch (access) {
	case EWS_ACCESS_IMPERSONATION:
		return "impersonation";
	case EWS_ACCESS_DELEGATE:
		return "delegate";
	default:
		return "self";
	}
}

int ews_mailbox_is_primary(const ews_mailbox *mb)
{
	return mb->primary;
}

int ews_mailbox_is_verified(const ews_mailbox *mb)
{
	return atomic_load(&((ews_mailbox *)mb)->verified);
}

int ews_mailbox__auto_to_delegate(ews_client *c, ews_mailbox *mb,
				  const char *code, const char *text,
				  errinfo *err)
{
	int switched = 0;

	pthread_mutex_lock(&mb->lock);
	if (mb->auto_pending) {
		mb->auto_pending = 0;
		snprintf(mb->auto_refusal, sizeof(mb->auto_refusal), "%s (%s)",
			 text && *text ? text : code, code);
		atomic_store(&mb->impersonate, 0);
		atomic_store(&mb->access, EWS_ACCESS_DELEGATE);
		switched = 1;
	}
	pthread_mutex_unlock(&mb->lock);
	if (!switched)
		return 0;
	if (strcmp(code, "ErrorImpersonationDenied") == 0)
		atomic_store(&c->no_impersonation, 1);
	log_info(LOG_COMP, "EWS_IMPERSONATION_TYPE=auto: %s is reached by "
		 "delegate access (Exchange refused impersonation: %s)",
		 mb->address, text && *text ? text : code);
	errinfo_set(err, ERR_ACCESS, "Exchange refused impersonation of %s; "
		    "switching to delegate access", mb->address);
	errinfo_set_ews_code(err, code);
	return 1;
}

void ews_mailbox__auto_refusal(ews_mailbox *mb, char *out, size_t cap)
{
	pthread_mutex_lock(&mb->lock);
	snprintf(out, cap, "%s", mb->auto_refusal);
	pthread_mutex_unlock(&mb->lock);
}

int ews_mailbox_moved_to_delegate(ews_mailbox *mb, const errinfo *err)
{
	int moved;

	if (!mb || !err || (strcmp(err->ews_code, "ErrorImpersonateUserDenied") != 0 &&
			    strcmp(err->ews_code, "ErrorImpersonationDenied") != 0) ||
	    atomic_load(&mb->access) != EWS_ACCESS_DELEGATE)
		return 0;
	pthread_mutex_lock(&mb->lock);
	moved = mb->auto_refusal[0] != '\0';
	pthread_mutex_unlock(&mb->lock);
	return moved;
}

void ews_mailbox__succeeded(ews_mailbox *mb)
{
	pthread_mutex_lock(&mb->lock);
	mb->auto_pending = 0;  /* what was tried works: decided */
	pthread_mutex_unlock(&mb->lock);
	if (atomic_exchange(&mb->verified, 1) == 0 && !mb->primary)
		log_info(LOG_COMP, "Successfully connected to mailbox: %s",
			 mb->address);
}

int ews_mailbox__refused(ews_client *c, ews_mailbox *mb, const char *code,
			 const char *text, int cache_it, errinfo *err)
{
	errinfo e = ERRINFO_INIT;
	int category = ews_error_category(code);

	if (category >= 0)
		category = ERR_ACCESS;
	errinfo_set(&e, category, "Failed to access mailbox %s: %s",
		    mb->address, text && *text ? text : code);
	errinfo_set_ews_code(&e, code);
	if (cache_it && !mb->primary) {
		pthread_mutex_lock(&mb->lock);
		mb->failed = 1;
		mb->failure = e;
		pthread_mutex_unlock(&mb->lock);
		ews_cache_shorten(c->cache, mb->address,
				  ews_now_ms() + c->o.negative_ttl_s * 1000);
	}
	log_warning(LOG_COMP, "%s%s", e.msg,
		    cache_it && !mb->primary ? " (remembered for a short time)"
					     : "");
	if (err && !err->msg[0]) {
		long status = err->http_status;

		*err = e;
		err->http_status = status;
	}
	return category;
}

int ews_mailbox__cached_failure(ews_mailbox *mb, errinfo *err)
{
	int code = 0;

	pthread_mutex_lock(&mb->lock);
	if (mb->failed) {
		code = mb->failure.code;
		if (err && !err->msg[0])
			*err = mb->failure;
	}
	pthread_mutex_unlock(&mb->lock);
	return code;
}

int ews_mailbox__folder_get(ews_mailbox *mb, const char *path, char *id,
			    size_t id_cap, char *ck, size_t ck_cap)
{
	int found = ERR_NOTFOUND;
	size_t i;

	pthread_mutex_lock(&mb->lock);
	for (i = 0; i < mb->nfolders; i++) {
		if (strcmp(mb->folders[i].path, path) == 0) {
			snprintf(id, id_cap, "%s", mb->folders[i].id);
			snprintf(ck, ck_cap, "%s", mb->folders[i].change_key
				 ? mb->folders[i].change_key : "");
			found = 0;
			break;
		}
	}
	pthread_mutex_unlock(&mb->lock);
	return found;
}

void ews_mailbox__folder_put(ews_mailbox *mb, const char *path,
			     const char *id, const char *change_key)
{
	ews_folder_entry *grown, e;
	size_t i;

	e.path = strdup(path);
	e.id = strdup(id);
	e.change_key = change_key ? strdup(change_key) : NULL;
	if (!e.path || !e.id || (change_key && !e.change_key))
		goto drop;
	pthread_mutex_lock(&mb->lock);
	for (i = 0; i < mb->nfolders; i++) {
		if (strcmp(mb->folders[i].path, path) == 0) {
			/* Replace: the folder may have been recreated. */
			free(mb->folders[i].path);
			free(mb->folders[i].id);
			free(mb->folders[i].change_key);
			mb->folders[i] = e;
			pthread_mutex_unlock(&mb->lock);
			return;
		}
	}
	if (mb->nfolders >= EWS_FOLDER_CACHE_MAX) {
		/* A bounded cache: forget the oldest entry. */
		free(mb->folders[0].path);
		free(mb->folders[0].id);
		free(mb->folders[0].change_key);
		memmove(mb->folders, mb->folders + 1,
			(mb->nfolders - 1) * sizeof(*mb->folders));
		mb->nfolders--;
	}
	grown = realloc(mb->folders, (mb->nfolders + 1) * sizeof(*grown));
	if (!grown) {
		pthread_mutex_unlock(&mb->lock);
		goto drop;
	}
	mb->folders = grown;
	mb->folders[mb->nfolders++] = e;
	pthread_mutex_unlock(&mb->lock);
	return;
drop:
	/* Out of memory only costs a later lookup; nothing to report. */
	free(e.path);
	free(e.id);
	free(e.change_key);
}

void ews_mailbox__cache_retain(void *v)
{
	ews_mailbox__retain(v);
}

void ews_mailbox__cache_release(void *v)
{
	ews_mailbox_free(v);
}

int ews_mailbox_resolve(ews_mailbox **out, ews_client *c, const char *target,
			errinfo *err)
{
	char key[EWS_ADDRESS_MAX + 1];
	ews_mailbox *mb;
	long long now;
	int error;

	*out = NULL;
	error = ews_address_canonical(key, sizeof(key), target,
				      "target_mailbox", err);
	if (error < 0)
		return error;
	if (!key[0] || strcmp(key, c->primary_key) == 0) {
		ews_mailbox__retain(c->primary_mb);
		*out = c->primary_mb;
		return 0;
	}
	if (!c->o.impersonation_enabled) {
		/* The seed's text, verbatim, naming the target as given
		 * (trimmed; it passed no syntax check yet, so show it
		 * safely). */
		char shown[128];
		const char *t = target;
		size_t n;

		while (*t == ' ' || *t == '\t')
			t++;
		n = strlen(t);
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
			n--;
		memcpy(key, t, n);  /* fits: canonical() checked the length */
		key[n] = '\0';
		ews_address_show(shown, sizeof(shown), key);
		return errinfo_set(err, ERR_CONFIG,
				   "Impersonation not enabled. Set "
				   "EWS_IMPERSONATION_ENABLED=true to access "
				   "mailbox: %s", shown);
	}
	error = ews_address_check(key, "target_mailbox", err);
	if (error < 0)
		return error;
	if (!ews_allowlist_match(c->allow, key))
		return errinfo_set(err, ERR_ACCESS,
				   "target_mailbox %s is not in "
				   "EWS_IMPERSONATION_ALLOWED", key);

	now = ews_now_ms();
	mb = ews_cache_get(c->cache, key, now);
	if (mb) {
		error = ews_mailbox__cached_failure(mb, err);
		if (error < 0) {
			log_debug(LOG_COMP, "Using cached failure for %s", key);
			ews_mailbox_free(mb);
			return error;
		}
		log_debug(LOG_COMP, "Using cached account for %s", key);
		*out = mb;
		return 0;
	}

	log_info(LOG_COMP, "Creating impersonated account for %s", key);
	if (c->o.auth_type == EWS_AUTH_OAUTH2 ||
	    c->o.impersonation_type == EWS_TARGET_IMPERSONATION ||
	    (c->o.impersonation_type == EWS_TARGET_AUTO &&
	     !atomic_load(&c->no_impersonation)))
		error = ews_mailbox__new(&mb, key, EWS_ACCESS_IMPERSONATION, 1, 0,
					 err);
	else
		error = ews_mailbox__new(&mb, key, EWS_ACCESS_DELEGATE, 0, 0, err);
	if (error < 0)
		return error;
	/* auto: try impersonation with the first real request; its answer
	 * decides (no probe of its own). An app-only token can only
	 * impersonate. */
	mb->auto_pending = c->o.impersonation_type == EWS_TARGET_AUTO &&
			   c->o.auth_type != EWS_AUTH_OAUTH2 &&
			   atomic_load(&mb->impersonate);
	/* Two first calls may race here; the second put replaces the first
	 * context, and both callers keep working with their own. */
	if (ews_cache_put(c->cache, key, mb, now,
			  now + c->o.cache_ttl_s * 1000) < 0)
		log_debug(LOG_COMP, "mailbox cache full of memory; %s not cached",
			  key);
	*out = mb;
	return 0;
}
