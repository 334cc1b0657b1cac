/* org.h - the directory of an ews-sim organisation, loaded from the org
 * JSON file: users and their logins, ApplicationImpersonation assignments,
 * delegates with per-folder permission levels, send-as grants, OAuth apps,
 * distribution groups and the seed content per mailbox.
 *
 * The org is immutable once loaded and shared by all request threads.
 * Users are addressed by their index (0..nusers-1); the store's mailbox id
 * of a user is index + 1.
 */
#ifndef INCLUDE_sim_org_h__
#define INCLUDE_sim_org_h__

#include <stddef.h>

#include <jansson.h>

#include "core/errinfo.h"

/* Delegate folder permission levels (Exchange's delegate roles). */
typedef enum sim_perm {
	SIM_PERM_NONE = 0,
	SIM_PERM_REVIEWER,   /* read */
	SIM_PERM_AUTHOR,     /* read + create */
	SIM_PERM_EDITOR      /* read + create + change + delete */
} sim_perm;

/* The folders a delegate permission can be set on. Every mail folder
 * (drafts, sent items, deleted items, user folders) follows "inbox". */
typedef enum sim_pfolder {
	SIM_PF_INBOX = 0,
	SIM_PF_CALENDAR,
	SIM_PF_CONTACTS,
	SIM_PF_TASKS,
	SIM_PF_COUNT
} sim_pfolder;

typedef struct sim_user {
	char *smtp;          /* primary SMTP address, lower case */
	char *upn;           /* user principal name (default: smtp) */
	char *name;          /* display name */
	char *password;      /* NULL: cannot log in (rooms, resources) */
	char *department;
	char *title;         /* job title, optional */
	char *sid;           /* S-1-5-21-...-(1000+index) */
	char **aliases;      /* secondary SMTP addresses, lower case */
	size_t naliases;
	int is_room;
} sim_user;

typedef enum sim_scope_kind {
	SIM_SCOPE_ALL = 0,
	SIM_SCOPE_DEPARTMENT,
	SIM_SCOPE_LIST
} sim_scope_kind;

typedef struct sim_impersonation {
	int account;             /* user index */
	sim_scope_kind kind;
	char *department;        /* SIM_SCOPE_DEPARTMENT */
	int *mailboxes;          /* SIM_SCOPE_LIST: user indexes */
	size_t nmailboxes;
} sim_impersonation;

typedef struct sim_delegate {
	int mailbox;             /* the principal (owner) */
	int delegate;
	sim_perm perm[SIM_PF_COUNT];
	int send_on_behalf;
} sim_delegate;

typedef struct sim_send_as {
	int mailbox;
	int account;
} sim_send_as;

typedef struct sim_org_app {
	char *tenant;            /* tenant domain or GUID as written */
	char *tenant_id;         /* GUID (the "tenant_id" field, or tenant) */
	char *client_id;
	char *client_secret;
	int full_access;         /* roles contain full_access_as_app */
	int scoped;              /* "mailboxes" given */
	int *mailboxes;
	size_t nmailboxes;
} sim_org_app;

typedef struct sim_group {
	char *smtp;
	char *name;
	int *members;            /* user indexes */
	size_t nmembers;
} sim_group;

typedef struct sim_org {
	char *domain;            /* "contoso.test" */
	char *netbios;           /* "CONTOSO" */
	sim_user *users;
	size_t nusers;
	sim_impersonation *imps;
	size_t nimps;
	sim_delegate *delegates;
	size_t ndelegates;
	sim_send_as *send_as;
	size_t nsend_as;
	sim_org_app *apps;
	size_t napps;
	sim_group *groups;
	size_t ngroups;
	json_t *content;         /* "content" object (borrowed from root) */
	json_t *root;            /* the whole document (owned) */
} sim_org;

/* Loads and validates an org from a file (path) or text (json, when path
 * is NULL). 0 and *out (sim_org_free), or ERR_INVAL/ERR_IO with err naming
 * the JSON path, e.g. "org: users[2].smtp: missing". */
int sim_org_load(sim_org **out, const char *path, const char *json,
		 errinfo *err);
void sim_org_free(sim_org *org);

/* User index of an SMTP address (primary or alias, any case), or -1.
 * *is_primary (may be NULL) says whether it was the primary address. */
int sim_org_find_smtp(const sim_org *org, const char *smtp, int *is_primary);

/* User index of a login: SMTP address, UPN, or DOMAIN\user (DOMAIN is the
 * NetBIOS name, any case; user the local part of the SMTP or UPN), or -1. */
int sim_org_find_login(const sim_org *org, const char *login);

/* User index by UPN or SID, or -1. */
int sim_org_find_upn(const sim_org *org, const char *upn);
int sim_org_find_sid(const sim_org *org, const char *sid);

/* App index by client id, or -1. */
int sim_org_find_app(const sim_org *org, const char *client_id);

/* Group index by SMTP address, or -1. */
int sim_org_find_group(const sim_org *org, const char *smtp);

/* The delegate entry (mailbox, delegate), or NULL. */
const sim_delegate *sim_org_delegate(const sim_org *org, int mailbox,
				     int delegate);

const char *sim_perm_name(sim_perm p);

#endif
