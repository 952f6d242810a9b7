/* hparams.c - script arguments to hyperparameters (accelerate §8). */
#include <stdlib.h>
#include <string.h>

#include "hparams.h"
#include "pynum.h"
#include "util.h"

/*
 * An option is a token that starts with '-', is not "-" alone and is not a
 * number: "--lr -0.1" gives lr = -0.1 where accelerate refuses it.
 */
static int
is_option(const char *tok)
{
	double x;

	return tok[0] == '-' && tok[1] != '\0' && py_float(tok, &x) == -1;
}

char *
hparams_dest(const char *opt, size_t len)
{
	char *dest;
	size_t i = 0, j = 0;

	while (i < len && opt[i] == '-')
		i++;
	dest = malloc(len - i + 1);
	if (dest == NULL)
		return NULL;
	for (; i < len; i++)
		dest[j++] = opt[i] == '-' ? '_' : opt[i];
	dest[j] = '\0';
	return dest;
}

/* Adds DEST = encoded VALUE to OBJ; OPT names the option in messages. */
static int
add_value(cJSON *obj, const char *opt, size_t optlen, const char *value)
{
	struct buf enc;
	char *dest;
	int rc = -1;

	dest = hparams_dest(opt, optlen);
	if (dest == NULL)
		return accel_err("cannot convert script arguments:");
	if (dest[0] == '\0') {
		accel_err("script argument '%.*s' has no option name",
		    (int)optlen, opt);
		goto out;
	}
	if (cJSON_GetObjectItemCaseSensitive(obj, dest) != NULL) {
		accel_err("script option '%.*s' is given twice (hyperparameter "
		    "'%s')", (int)optlen, opt, dest);
		goto out;
	}
	if (strlen(dest) > HPARAM_KEY_MAX) {
		accel_err("script option '%.*s' is longer than the %d "
		    "characters SageMaker allows", (int)optlen, opt,
		    HPARAM_KEY_MAX);
		goto out;
	}
	buf_init(&enc, HPARAM_VALUE_MAX);
	if (py_encode_value(&enc, value) == -1) {
		accel_err("the value of script option '%.*s' is longer than "
		    "the %d characters SageMaker allows", (int)optlen, opt,
		    HPARAM_VALUE_MAX);
		buf_free(&enc);
		goto out;
	}
	if (cJSON_AddStringToObject(obj, dest, enc.data) == NULL)
		accel_err("cannot convert script arguments:");
	else
		rc = 0;
	buf_free(&enc);
out:
	free(dest);
	return rc;
}

/* A flag: SageMaker cannot pass a bare switch to the script. */
static void
no_value(const char *opt, const char *next)
{
	if (next != NULL && next[1] != '-')
		accel_err("script option '%s' has no value ('%s' is an "
		    "option): write '%s True' and give it a type in the "
		    "script's argparse (store_true cannot work), or "
		    "'%s=%s' for a value that starts with '-'", opt, next,
		    opt, opt, next);
	else if (next != NULL)
		accel_err("script option '%s' has no value ('%s' is the next "
		    "option): write '%s True' and give it a type in the "
		    "script's argparse (store_true cannot work)", opt, next,
		    opt);
	else
		accel_err("script option '%s' has no value: write '%s True' "
		    "and give it a type in the script's argparse (store_true "
		    "cannot work)", opt, opt);
}

cJSON *
hparams_from_args(int n, char *const args[])
{
	cJSON *obj = cJSON_CreateObject();
	const char *tok, *eq;
	int i;

	if (obj == NULL) {
		accel_err("cannot convert script arguments:");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		tok = args[i];
		if (!is_option(tok)) {
			accel_err("script argument '%s' is not an option: "
			    "SageMaker passes only '--name value' pairs to "
			    "the script", tok);
			goto fail;
		}
		eq = strchr(tok, '=');
		if (eq != NULL) {
			if (add_value(obj, tok, (size_t)(eq - tok), eq + 1))
				goto fail;
			continue;
		}
		if (i + 1 >= n || is_option(args[i + 1])) {
			no_value(tok, i + 1 < n ? args[i + 1] : NULL);
			goto fail;
		}
		if (add_value(obj, tok, strlen(tok), args[++i]) == -1)
			goto fail;
	}
	return obj;
fail:
	cJSON_Delete(obj);
	return NULL;
}
