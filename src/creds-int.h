/*
 * creds-int.h - the parts of the credential chain shared by creds.c
 * (refresh), creds-chain.c (order), creds-process.c, creds-http.c
 * (container, IMDS) and creds-sts.c.
 */
#ifndef ACCEL_CREDS_INT_H
#define ACCEL_CREDS_INT_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "awsconfig.h"
#include "creds.h"
#include "http.h"

struct creds {
	char *access_key;
	char *secret_key;
	char *session_token;		/* NULL for long-term keys */
	time_t expires;			/* 0: never */
};

enum source_kind {
	SRC_ENV, SRC_STATIC, SRC_PROCESS, SRC_WEB_IDENTITY, SRC_ASSUME_ROLE,
	SRC_CONTAINER, SRC_IMDS
};

struct source {
	enum source_kind kind;
	const char *method;		/* botocore's METHOD */
	char *profile;			/* for messages and static keys */
	int from_credentials_file;	/* SRC_STATIC: which file */
	char *command;			/* SRC_PROCESS */
	char *role_arn;			/* STS sources */
	char *session_name;		/* NULL: botocore-session-<epoch> */
	char *external_id;
	char *token_file;		/* SRC_WEB_IDENTITY */
	long duration;			/* 0: STS default */
	struct source *parent;		/* SRC_ASSUME_ROLE: whose keys sign */
	struct creds creds;		/* the current ones, when have */
	struct creds retired;		/* the ones before: another thread
					   may still be signing with them */
	int have;
};

struct creds_provider {
	struct awsconfig cfg;
	struct creds_options opt;
	char region[64];
	struct source *top;		/* NULL until resolved */
	struct http_client *http;	/* made on first use */
	pthread_mutex_t lock;		/* creds_get from parallel uploads */
};

/* creds-chain.c: the source to use, into p->top; -1 with ERR. */
int creds_resolve(struct creds_provider *p, char *err, size_t errlen);
void source_free(struct source *s);

time_t creds_now(const struct creds_provider *p);

/* The environment variable VAR, else the profile's KEY (botocore's
 * lookup of settings such as the metadata endpoint); NULL if neither. */
const char *creds_setting(const struct creds_provider *p, const char *var,
    const char *key);
void creds_clear(struct creds *c);
char *creds_strdup(const char *s, char *err, size_t errlen);
void json_wipe_delete(cJSON *item);

/* The keys of a JSON credentials document (process, container, IMDS). */
int creds_from_json(const cJSON *doc, const char *token_name,
    int token_required, struct creds *out, char *err, size_t errlen);

/* The output of credential_process (TEXT, LEN bytes): a Version 1
 * document into OUT, or -1 with ERR and nothing to free in OUT. */
int creds_process_parse(const char *text, size_t len, struct creds *out,
    char *err, size_t errlen);
int fetch_process(struct creds_provider *p, const struct source *s,
    struct creds *out, char *err, size_t errlen);
int fetch_container(struct creds_provider *p, struct creds *out, char *err,
    size_t errlen);
/*
 * The answers of the container endpoint and IMDS, apart from the
 * exchanges: creds_container_parse reads a credentials document (0, or
 * -1 with ERR); creds_imds_role puts the role IMDS names (the body's
 * first line) in ROLE; creds_imds_parse is 1 with credentials, else 0.
 */
int creds_container_parse(const char *body, size_t len, struct creds *out,
    char *err, size_t errlen);
void creds_imds_role(const char *body, size_t len, char *role,
    size_t rolelen);
int creds_imds_parse(const char *body, size_t len, struct creds *out,
    char *err, size_t errlen);
/* 1: credentials, 0: no instance metadata, -1: error. */
int fetch_imds(struct creds_provider *p, struct creds *out, char *err,
    size_t errlen);
int fetch_web_identity(struct creds_provider *p, const struct source *s,
    struct creds *out, char *err, size_t errlen);
int fetch_assume_role(struct creds_provider *p, const struct source *s,
    const struct creds *parent, struct creds *out, char *err, size_t errlen);

#endif
