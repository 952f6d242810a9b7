/*
 * accel-local - run a CreateTrainingJob request on this host, giving the
 * script what the SageMaker training toolkit gives it in the container.
 * See accel-local.1.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "local.h"

struct opts {
	const char *outdir, *python, *request;
	int docker, no_install, dry_run;
	long grace;
	enum local_creds_mode creds;
};

static const struct cli_help help = {
	.usage = "usage: accel-local [-o DIR] [--backend process|docker] "
	    "[--python PATH]\n"
	    "                   [--no-install] [--credentials none|caller|role]\n"
	    "                   [--grace SECONDS] [--dry-run] REQUEST.json\n",
	.about = "Run on this host the CreateTrainingJob request that "
	    "accel-submit would send,\nas the SageMaker training toolkit "
	    "runs it in the container: the code from\nsourcedir.tar.gz beside "
	    "REQUEST.json, the same files, environment and\narguments.  "
	    "Writes DIR/status.json (as DescribeTrainingJob would answer)\n"
	    "and the job's model.tar.gz and output.tar.gz.  Needs no AWS "
	    "account.\n",
	.options =
	    "  -o DIR              job roots, venv cache and status.json\n"
	    "                      (default .accel/local)\n"
	    "  --backend process|docker\n"
	    "                      run the script here (default) or in the "
	    "job's image\n"
	    "  --python PATH       the interpreter (default python3 from PATH)\n"
	    "  --no-install        do not install requirements\n"
	    "  --credentials none|caller|role\n"
	    "                      the AWS credentials the script gets "
	    "(default none)\n"
	    "  --grace SECONDS     from SIGTERM to SIGKILL when stopping "
	    "(default " CLI_STR(LOCAL_GRACE_DEFAULT) ")\n"
	    "  --dry-run           prepare the job root and print each host's "
	    "command\n",
	.no = "the job failed or was stopped, or the request cannot be run",
};

/* Returns -1 to go on, or the status main() exits with. */
static int
parse_args(int argc, char *argv[], struct opts *o)
{
	static const struct option longs[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "python", required_argument, NULL, 'p' },
		{ "no-install", no_argument, NULL, 'n' },
		{ "grace", required_argument, NULL, 'g' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "credentials", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->grace = LOCAL_GRACE_DEFAULT;
	o->python = "python3";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", longs, NULL)) != -1) {
		switch (c) {
		case 'o': o->outdir = optarg; break;
		case 'p': o->python = optarg; break;
		case 'n': o->no_install = 1; break;
		case 'd': o->dry_run = 1; break;
		case 'b':
			if (strcmp(optarg, "docker") == 0)
				o->docker = 1;
			else if (strcmp(optarg, "process") != 0)
				return cli_usage("--backend is process or "
				    "docker, not '%s'", optarg);
			break;
		case 'c':
			if (local_creds_mode(optarg, &o->creds) == -1)
				return cli_usage("--credentials is none, caller "
				    "or role, not '%s'", optarg);
			break;
		case 'g':
			if (parse_long(optarg, 0, 86400, &o->grace) == -1)
				return cli_usage("--grace wants seconds from 0 "
				    "to 86400, not '%s'", optarg);
			break;
		case 'h': return cli_help(&help);
		case 'V': return cli_version();
		default: return cli_getopt_error(c, argv);
		}
	}
	if (optind == argc)
		return cli_usage("no REQUEST.json given");
	if (optind != argc - 1)
		return cli_usage("one REQUEST.json at a time");
	o->request = argv[optind];
	return -1;
}

/* A port nobody listens on now, for MASTER_PORT. */
static int
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t n = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s != -1 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &n) == 0)
		port = ntohs(a.sin_port);
	if (s != -1)
		close(s);
	if (port == -1)
		accel_err("cannot find a free port:");
	return port;
}

/* Shell-quoted, so that a dry run can be pasted. */
static void
print_argv(char *const argv[])
{
	for (size_t i = 0; argv[i] != NULL; i++) {
		const char *a = argv[i];
		int plain = *a != '\0' && strspn(a, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=@%+,-") ==
		    strlen(a);

		fputs(i > 0 ? " " : "", stdout);
		if (plain) {
			fputs(a, stdout);
			continue;
		}
		putchar('\'');
		for (; *a != '\0'; a++)
			if (*a == '\'')
				fputs("'\\''", stdout);
			else
				putchar(*a);
		putchar('\'');
	}
	putchar('\n');
}

struct plan {
	char **argv[LOCAL_MAX_HOSTS];
	char **envp[LOCAL_MAX_HOSTS];
	char cwd[LOCAL_MAX_HOSTS][PATH_MAX];
	const char *cwdp[LOCAL_MAX_HOSTS];
};

static void
plan_free(struct plan *p)
{
	for (int i = 0; i < LOCAL_MAX_HOSTS; i++) {
		local_strv_free(p->argv[i]);
		local_strv_free(p->envp[i]);
	}
}

static int
plan_process(const struct local_job *job, const char *python, struct plan *p)
{
	int port = free_port();

	if (port == -1)
		return -1;
	for (int h = 1; h <= job->nhosts; h++) {
		char base[PATH_MAX];

		if (local_host_base(job, h, base, sizeof base) == -1 ||
		    xsnprintf(p->cwd[h - 1], PATH_MAX, "%s/code", base) == -1)
			return accel_err("the job root path is too long");
		p->cwdp[h - 1] = p->cwd[h - 1];
		p->argv[h - 1] = local_command(job, h, python);
		p->envp[h - 1] = local_environ(job, h, port, python);
		if (p->argv[h - 1] == NULL || p->envp[h - 1] == NULL)
			return -1;
	}
	return 0;
}

/* Is a Docker engine there?  docker info answers only when it is. */
static int
docker_answers(void)
{
	fflush(NULL);
	return system("docker info >/dev/null 2>&1") == 0;
}

static int
plan_docker(const struct local_job *job, struct plan *p)
{
	if (job->nhosts > 1)
		return accel_err("the docker backend runs one host; use "
		    "--backend process for InstanceCount %d", job->nhosts);
	if (job->image == NULL)
		return accel_err("the request has no "
		    "AlgorithmSpecification.TrainingImage");
	p->argv[0] = local_docker_argv(job);
	p->envp[0] = local_environ(job, 1, 0, NULL);
	if (p->argv[0] == NULL || p->envp[0] == NULL)
		return -1;
	xsnprintf(p->cwd[0], PATH_MAX, "%s", job->base);
	p->cwdp[0] = p->cwd[0];
	return 0;
}

static int
pack_dirs(const struct local_job *job, const char *rel, const char *dest)
{
	char dirs[LOCAL_MAX_HOSTS][PATH_MAX], path[PATH_MAX];
	const char *dp[LOCAL_MAX_HOSTS];

	for (int h = 1; h <= job->nhosts; h++) {
		if (local_host_base(job, h, path, sizeof path) == -1 ||
		    xsnprintf(dirs[h - 1], PATH_MAX, "%s/%s", path, rel) == -1)
			return accel_err("the job root path is too long");
		dp[h - 1] = dirs[h - 1];
	}
	if (xsnprintf(path, sizeof path, "%s/output/%s", job->base, dest) ==
	    -1)
		return accel_err("the job root path is too long");
	return local_pack(dp, job->nhosts, path);
}

static int
touch_success(const struct local_job *job)
{
	char base[PATH_MAX], path[PATH_MAX];

	for (int h = 1; h <= job->nhosts; h++)
		if (local_host_base(job, h, base, sizeof base) == -1 ||
		    xsnprintf(path, sizeof path, "%s/output/success", base) ==
		    -1 || write_fresh(path, "", 0) == -1)
			return -1;
	return 0;
}

/* The end as SageMaker ends a job; returns the exit status. */
static int
finish(const struct local_job *job, struct local_times *t,
    const struct local_result *res, struct plan *p)
{
	enum local_outcome o = res->outcome;
	char base[PATH_MAX];
	char *reason = NULL;
	int rc;

	t->train_end = local_now();
	local_status_line("Uploading", "Uploading generated training model");
	rc = pack_dirs(job, "model", "model.tar.gz") == 0 &&
	    pack_dirs(job, "output/data", "output.tar.gz") == 0 ? 0 : -1;
	if (o == LOCAL_COMPLETED && rc == 0)
		rc = touch_success(job);
	if (o == LOCAL_FAILED && res->host == 0)
		reason = strdup("ClientError: a host could not be started");
	if (o == LOCAL_FAILED && res->host > 0 && local_host_base(job,
	    res->host, base, sizeof base) == 0) {
		local_write_failure(base, "ExecuteUserScriptError",
		    res->status, res->excerpt, p->argv[res->host - 1]);
		reason = local_failure_reason(base);
	}
	if (rc == -1 && o == LOCAL_COMPLETED) {	/* packing failed */
		o = LOCAL_FAILED;
		reason = strdup("ClientError: the model could not be packed");
	}
	t->ended = local_now();
	if (local_write_status(job, t, o, reason) == -1)
		rc = -1;
	local_status_line(local_outcome_name(o), local_outcome_message(o));
	if (o == LOCAL_COMPLETED)
		printf("Training seconds: %ld\n",
		    (long)(t->train_end - t->train_start + 0.5) * job->nhosts);
	if (o == LOCAL_FAILED && reason != NULL)
		fprintf(stderr, "%s: job %s failed: %s\n", accel_prog,
		    job->name, reason);
	free(reason);
	return o == LOCAL_COMPLETED && rc == 0 ? EXIT_OK : EXIT_NO;
}

/* requirements.txt could not be satisfied: the toolkit's failure. */
static int
install_failed(const struct local_job *job, struct local_times *t,
    const char *python)
{
	char *argv[] = { (char *)python, "-m", "pip", "install", "-r",
	    "requirements.txt", NULL };
	char *reason;

	local_write_failure(job->base, "InstallRequirementsError", 1, "",
	    argv);
	reason = local_failure_reason(job->base);
	t->train_start = t->train_end = t->ended = local_now();
	local_write_status(job, t, LOCAL_FAILED, reason);
	local_status_line("Failed", "Training job failed");
	free(reason);
	return EXIT_NO;
}

static int
run(const struct opts *o, struct local_job *job, struct local_creds *lc)
{
	struct local_times t = { 0 };
	struct local_result res = { 0 };
	struct plan p = { 0 };
	char python[PATH_MAX], python_abs[PATH_MAX];

	int rc = EXIT_NO;

	t.created = local_now();
	if (!o->dry_run)
		local_status_line("Starting", "Preparing the instances for "
		    "training");
	if (local_prepare(job) == -1)
		return EXIT_NO;
	/* A dry run prints commands only: it asks no one for keys. */
	lc->mode = o->creds;
	if (!o->dry_run && local_creds_get(job, lc, &rc) == -1)
		return rc;
	job->creds = lc;
	rc = EXIT_NO;
	if (o->docker) {
		if (plan_docker(job, &p) == -1)
			goto out;
		if (o->dry_run) {
			print_argv(p.argv[0]);
			rc = EXIT_OK;
			goto out;
		}
		if (!docker_answers()) {
			accel_err("no Docker engine answers ('docker info' "
			    "failed); use --backend process");
			goto out;
		}
	} else {
		if (local_which(o->python, python_abs, sizeof python_abs) ==
		    -1) {
			accel_err("cannot find the Python interpreter '%s'",
			    o->python);
			goto out;
		}
		xsnprintf(python, sizeof python, "%s", python_abs);
		if (!o->no_install && local_install(job, python_abs, python,
		    sizeof python) == -1) {
			rc = install_failed(job, &t, python_abs);
			goto out;
		}
		if (plan_process(job, python, &p) == -1)
			goto out;
		if (o->dry_run) {
			for (int h = 0; h < job->nhosts; h++)
				print_argv(p.argv[h]);
			rc = EXIT_OK;
			goto out;
		}
	}
	local_status_line("Training", "Training image download completed. "
	    "Training in progress.");
	t.train_start = local_now();
	if (local_run(p.argv, p.envp, p.cwdp, job->nhosts, (int)o->grace,
	    &res) == -1) {
		res.outcome = LOCAL_FAILED;	/* a host could not start */
		res.host = 0;
	}
	rc = finish(job, &t, &res, &p);
	free(res.excerpt);
out:
	plan_free(&p);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct opts o = { 0 };
	struct local_job job;
	struct local_creds lc = { 0 };
	int rc;

	accel_prog = "accel-local";
	if ((rc = parse_args(argc, argv, &o)) != -1)
		return rc;
	if (local_load(&job, o.request, o.outdir, o.docker) == -1) {
		local_free(&job);
		return EXIT_NO;
	}
	rc = run(&o, &job, &lc);
	local_creds_wipe(&lc);
	local_free(&job);
	return rc;
}
