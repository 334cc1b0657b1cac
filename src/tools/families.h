/* families.h - the tool families; each tools_*.c file exports one table. */
#ifndef INCLUDE_tools_families_h__
#define INCLUDE_tools_families_h__

#include "tools/tool.h"

extern const toolset tools_mail;      /* read/send/reply/forward email */
extern const toolset tools_calendar;  /* calendar, appointments, availability */
extern const toolset tools_contacts;  /* search and create contacts */
extern const toolset tools_tasks;     /* list and create tasks */
extern const toolset tools_folders;   /* list and create folders */
extern const toolset tools_oof;       /* out-of-office get/set */

/* Shared schema fragment: every mailbox tool's optional target_mailbox. */
#define TOOLS_TARGET_MAILBOX_PROP \
	"\"target_mailbox\":{\"type\":\"string\",\"maxLength\":1000," \
	"\"description\":\"Email address of another user's mailbox to act on " \
	"(impersonation or delegate access), as user@contoso.com or Name <user@contoso.com>. " \
	"Omit for the service account's own mailbox.\"}"

/* The forms every date or date-time argument takes (tools_arg_time). */
#define TOOLS_DATE_FORMS \
	"YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time in TIMEZONE), or " \
	"YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM"

/* Shared schema fragment: the type of a date or date-time argument. Any
 * string reaches the tool, whose refusal names the accepted forms and the
 * zone; the hint makes the schema's own refusals (a number, a null where
 * one is required, a very long text) name them too. */
#define TOOLS_DATE_TYPE \
	"\"type\":\"string\",\"maxLength\":64,\"x-error-hint\":\"accepted forms: " \
	TOOLS_DATE_FORMS "\""

#endif
