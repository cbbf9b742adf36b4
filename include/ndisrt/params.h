/* SPDX-License-Identifier: MIT */
/*
 * ndisrt/params.h - the configuration parameters miniports read with
 * NdisReadConfiguration (their registry keywords on Windows), set by the
 * host before it starts NICs.
 *
 * One store per process. A value is set for every NIC, or for one NIC
 * (its 0-based index in the order the host numbers them, as the CLI's
 * `--param NIC:Name=Value`); a NIC reads its own value first, then the
 * value for every NIC. The host tells the runtime which NIC a driver's
 * configuration handle belongs to when it starts the NIC
 * (ndisrt_nic_config.param_nic). Values are text; NdisReadConfiguration
 * converts them to the type the driver asks for (docs/ddi/README.md).
 */
#ifndef NDISRT_PARAMS_H
#define NDISRT_PARAMS_H

#ifdef __cplusplus
extern "C" {
#endif

#define NDISRT_PARAM_MAX 128	   /* parameters in the store */
#define NDISRT_PARAM_NAME_MAX 63   /* bytes of a keyword (ASCII) */
#define NDISRT_PARAM_VALUE_MAX 255 /* bytes of a value */
#define NDISRT_PARAM_ALL_NICS (-1) /* a value every NIC reads */
#define NDISRT_PARAM_NIC_MAX 63	   /* highest NIC index a value can be for */

/**
 * ndisrt_param_set() - Set @keyword (ASCII letters, digits, '_', '*', '.',
 * '-'; matched case-insensitively) to @value (printable ASCII), replacing
 * an earlier value. Context: any thread at PASSIVE_LEVEL.
 * Return: 0; -EINVAL (bad keyword or value, too long), -ENOSPC (store full).
 */
int ndisrt_param_set(const char *keyword, const char *value);

/**
 * ndisrt_param_set_nic() - ndisrt_param_set() for NIC @nic only (0..
 * NDISRT_PARAM_NIC_MAX), or every NIC (NDISRT_PARAM_ALL_NICS).
 * Return: 0; -EINVAL (also a bad @nic), -ENOSPC.
 */
int ndisrt_param_set_nic(int nic, const char *keyword, const char *value);

/**
 * ndisrt_param_parse() - Set a parameter from the CLI form "Name=Value"
 * (every NIC) or "NIC:Name=Value" (NIC a decimal index, 0..63).
 * Return: as ndisrt_param_set_nic().
 */
int ndisrt_param_parse(const char *assignment);

/**
 * ndisrt_param_check() - Would ndisrt_param_parse() take @assignment?
 * Stores nothing; *@nic (if not NULL) gets its NIC or NDISRT_PARAM_ALL_NICS.
 * Return: 0 or -EINVAL.
 */
int ndisrt_param_check(const char *assignment, int *nic);

/** ndisrt_param_get() - Copy @keyword's value for every NIC to @buf. Return: 0, -ENOENT, -ENOSPC. */
int ndisrt_param_get(const char *keyword, char *buf, unsigned len);

/** ndisrt_param_get_nic() - What NIC @nic reads for @keyword (its own value, else every NIC's). */
int ndisrt_param_get_nic(int nic, const char *keyword, char *buf, unsigned len);

/** ndisrt_params_clear() - Forget every parameter. Context: no NIC running. */
void ndisrt_params_clear(void);

/* Error log entries miniports wrote (NdisWriteErrorLogEntry), for the run report. */
#define NDISRT_ERROR_LOG_VALUES 8
struct ndisrt_error_log_entry {
	unsigned long long time_ns; /* engine clock */
	void *adapter;		    /* NdisAdapterHandle */
	unsigned code;		    /* NDIS_ERROR_CODE */
	unsigned nr_values;	    /* values kept (<= NDISRT_ERROR_LOG_VALUES) */
	unsigned values[NDISRT_ERROR_LOG_VALUES];
};

/** ndisrt_error_log_count() - Entries written so far (including dropped ones). */
unsigned ndisrt_error_log_count(void);

/** ndisrt_error_log_get() - Entry @i (0-based, the first 64 are kept). Return: 0 or -ENOENT. */
int ndisrt_error_log_get(unsigned i, struct ndisrt_error_log_entry *out);

#ifdef __cplusplus
}
#endif

#endif /* NDISRT_PARAMS_H */
