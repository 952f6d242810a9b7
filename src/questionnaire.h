/*
 * questionnaire.h - the SageMaker questions of `accelerate config`
 * (accelerate commands/config/sagemaker.py, get_sagemaker_input), in
 * accelerate's order with its prompts, choices and defaults, storing the
 * answers in a configuration tree the way SageMakerConfig.to_dict() does.
 * Deliberate differences are listed in tools/accel-config.1.
 */
#ifndef ACCEL_QUESTIONNAIRE_H
#define ACCEL_QUESTIONNAIRE_H

#include "questions.h"
#include "ytree.h"

/* Every question, in the order asked; a flag may answer each. */
enum qid {
	Q_AUTH, Q_PROFILE, Q_REGION, Q_ROLE_MENU, Q_ROLE,
	Q_IMAGE_YN, Q_IMAGE, Q_INPUTS_YN, Q_INPUTS, Q_METRICS_YN, Q_METRICS,
	Q_DISTRIBUTED, Q_DYNAMO_YN, Q_DYNAMO_BACKEND, Q_DYNAMO_CUSTOM,
	Q_DYNAMO_MODE, Q_DYNAMO_FULLGRAPH, Q_DYNAMO_DYNAMIC, Q_DYNAMO_REGIONAL,
	Q_INSTANCE, Q_DEBUG, Q_MACHINES, Q_PRECISION,
	Q_COUNT
};

#define ROLE_TO_CREATE "accelerate_sagemaker_execution_role"

struct questionnaire {
	struct asker asker;
	struct preset preset[Q_COUNT];
	/*
	 * In: the starting configuration (an empty map, or the --from file
	 * with unknown keys removed); its values are the defaults.  Out: the
	 * configuration to write.
	 */
	struct ynode *config;
	/* Called for "Create new IAM role using credentials"; 0 or -1. */
	int (*create_role)(struct questionnaire *, const char *role);
};

/* Ask every question; 0, or -1 with a message and q->asker.status. */
int questionnaire_run(struct questionnaire *q);

/*
 * config_start: the --from tree made into a starting configuration:
 * process_config's legacy keys converted (fp16, dynamo_backend), keys
 * that SageMakerConfig does not have removed with a warning naming NAME;
 * a string longer than an answer (ANSWER_MAX) is refused.  0 or -1.
 */
int config_start(struct ynode *config, const char *name);

/* SageMakerConfig.to_dict(): empty maps become null, null keys go. */
void config_finish(struct ynode *config);

#endif
