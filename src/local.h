/*
 * local.h - run a CreateTrainingJob request on this host inside the
 * SageMaker training container contract (container-contract.md §4-§6,
 * §11): the /opt/ml tree and its config files (localjob.c), the SM_*
 * environment and the command (localenv.c), the requirements venv
 * (localpip.c), process supervision (localrun.c), and the end as
 * SageMaker ends a job: artifacts, success/failure, status.json
 * (localpack.c, localend.c).
 *
 * A job root mirrors /opt/ml; with several hosts, algo-1 uses JOB and
 * algo-N uses JOB.algo-N beside it (each instance has its own /opt/ml).
 */
#ifndef ACCEL_LOCAL_H
#define ACCEL_LOCAL_H

#include <limits.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "util.h"

#define LOCAL_REQUEST_MAX (1024 * 1024)	/* request.json bytes */
#define LOCAL_MAX_CHANNELS 20		/* API limit on InputDataConfig */
#define LOCAL_MAX_HOSTS 64		/* processes we are willing to start */
#define LOCAL_JOB_NAME_MAX 63		/* API pattern length */
#define LOCAL_ENV_MAX (4 * 1024 * 1024)	/* the environment we build */
#define LOCAL_GRACE_DEFAULT 120		/* docker stop -t 120, §3 */

struct local_channel {
	const char *name;		/* in the request tree */
	char src[PATH_MAX];		/* absolute directory on this host */
	const char *s3uri;		/* s3:// input fetched into src, or NULL */
	const char *content_type;	/* or NULL */
};

/* What the training script gets of AWS credentials (localcreds.c). */
enum local_creds_mode { LOCAL_CREDS_NONE, LOCAL_CREDS_CALLER,
    LOCAL_CREDS_ROLE };
struct local_creds {
	enum local_creds_mode mode;
	char access_key[128];
	char secret_key[128];
	char session_token[8192];	/* STS_MAX_TOKEN */
};

struct local_job {
	char reqdir[PATH_MAX];		/* directory of the request */
	char root[PATH_MAX];		/* local root: .accel/local or -o */
	char base[PATH_MAX];		/* job root of algo-1 (= /opt/ml) */
	char name[LOCAL_JOB_NAME_MAX + 1];
	cJSON *doc;			/* request.json as read */
	cJSON *req;			/* the CreateTrainingJob body in it */
	const char *archive;		/* file name beside the request */
	const char *archive_sha256;	/* its digest when request.json has it */
	cJSON *hps;			/* hyperparameters.json, rewritten */
	struct local_channel ch[LOCAL_MAX_CHANNELS];
	size_t nch;
	int nhosts;
	const char *instance_type;
	const char *image;
	const char *entry;		/* user entry point, e.g. train.py */
	const char *region;		/* "" when the request has none */
	char ckpt[PATH_MAX];		/* checkpoint dir, relative to a base */
	char iface[32];			/* network_interface_name */
	long ncpu, ngpu;
	int docker;			/* paths as /opt/ml for the image */
	const struct local_creds *creds;	/* for the script; NULL: none */
};

/* localjob.c */
int local_load(struct local_job *job, const char *reqpath,
    const char *outdir, int docker);
/* local_load less reading REQPATH and probing this host: the request
 * TEXT (LEN bytes) into JOB (local_free it, also after an error). */
int local_parse(struct local_job *job, const char *text, size_t len,
    const char *reqpath, const char *outdir, int docker);
void local_free(struct local_job *job);
int local_host_base(const struct local_job *job, int host, char *out,
    size_t size);
int local_prepare(struct local_job *job);
cJSON *local_resource_config(const struct local_job *job, int host);
cJSON *local_input_config(const struct local_job *job);

/* localcreds.c: local_creds_get fills LC for its mode; *STATUS says
 * 1 or 75 on failure.  local_creds_wipe clears the keys. */
int local_creds_mode(const char *name, enum local_creds_mode *out);
int local_creds_get(const struct local_job *job, struct local_creds *lc,
    int *status);
void local_creds_wipe(struct local_creds *lc);

/* locals3.c */
int local_s3_dir(const struct local_job *job, const char *channel,
    char *out, size_t len);
int local_fetch_channels(const struct local_job *job);
/*
 * The cache's manifest (NUL-terminated text, lines "ETAG\tSIZE\tPATH\n"):
 * local_manifest_listed says whether LINE starts a line of it;
 * local_manifest_gone calls FN with each PATH of OLD that NEW lacks and
 * that fetch_tree could have written (relative, normalised, no "..").
 */
int local_manifest_listed(const char *manifest, const char *line);
void local_manifest_gone(const char *old, const char *new,
    void (*fn)(void *ctx, const char *rel), void *ctx);

/* localfs.c */
int mkdirs(const char *path);
int rmtree(const char *path);
int write_fresh(const char *path, const void *data, size_t len);

/* localenv.c */
char **local_environ(const struct local_job *job, int host, int port,
    const char *python);
char **local_command(const struct local_job *job, int host,
    const char *python);
void local_strv_free(char **v);
/* Ours with only the credentials the script gets: for pip, which runs the
 * code of the packages it builds. */
char **local_tool_environ(const struct local_job *job);
char **local_docker_argv(const struct local_job *job);
int local_count_gpus(void);
int local_which(const char *name, char *out, size_t size);
void local_default_iface(char out[32]);

/* localpip.c */
int local_install(const struct local_job *job, const char *python,
    char *out, size_t size);

/* localrun.c */
enum local_outcome { LOCAL_COMPLETED, LOCAL_FAILED, LOCAL_STOPPED };
struct local_result {
	enum local_outcome outcome;
	int host;			/* the host that failed first, 1-based */
	int status;			/* its exit status (128+sig if killed) */
	char *excerpt;			/* captured error lines, or NULL */
};
int local_run(char **const argv[], char **const envp[], const char *cwd[],
    int nhosts, int grace, struct local_result *res);

/* localsweep.c: SIGKILL every descendant and reap them, for at most
 * TIMEOUT_MS; the caller is a child subreaper.  0 when none is left. */
int local_sweep(int timeout_ms);

/* localpack.c */
int local_pack(const char *const dirs[], int ndirs, const char *dest);

/* localend.c */
struct local_times {
	double created, train_start, train_end, ended;	/* epoch seconds */
};
double local_now(void);
void local_status_line(const char *status, const char *message);
int local_write_failure(const char *base, const char *class, int status,
    const char *message, char *const argv[]);
char *local_failure_reason(const char *base);
const char *local_outcome_name(enum local_outcome o);
const char *local_outcome_message(enum local_outcome o);
int local_write_status(const struct local_job *job,
    const struct local_times *t, enum local_outcome o, const char *reason);

#endif
