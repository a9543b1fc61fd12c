/* Two loops of the E-step of pipeline/model/lda.py (see estep_norms.py), for the live rows:
 *
 *   norm[e] = sum_k theta[r, k] * beta_nz[e, k] + eps   for every entry e of a live row r,
 *
 * summed in the order numpy's einsum("ij,ij->i") sums on its SSE2 baseline (two lanes: the
 * even and odd k of each block of 8 from its end, then the tail pairs, then lane 0 + lane 1),
 * so the result has the same bits as einsum over np.repeat(theta) without that copy; and
 *
 *   out[r, k] = sum_e (data[e] / norm[e]) * beta_nz[e, k]   over the entries e of row r,
 *
 * added from 0.0 in entry order as scipy's csr_matvecs does for the CSR matrix of the ratios
 * times beta_t, without building that matrix and reading beta_nz in order (rows not live: 0).
 * Built with -ffp-contract=off: a fused multiply-add would round differently.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

static void norms(const int64_t *indptr, Py_ssize_t rows, const double *theta,
                  const double *beta, const uint8_t *live, double *norm, Py_ssize_t k,
                  double eps)
{
    const Py_ssize_t full = k - k % 8;
    for (Py_ssize_t r = 0; r < rows; r++) {
        if (!live[r])
            continue;
        const double *t = theta + r * k;
        for (int64_t e = indptr[r]; e < indptr[r + 1]; e++) {
            const double *b = beta + e * k;
            double v0 = 0.0, v1 = 0.0;
            for (Py_ssize_t s = 0; s < full; s += 8) {
                v0 = t[s + 6] * b[s + 6] + v0; v1 = t[s + 7] * b[s + 7] + v1;
                v0 = t[s + 4] * b[s + 4] + v0; v1 = t[s + 5] * b[s + 5] + v1;
                v0 = t[s + 2] * b[s + 2] + v0; v1 = t[s + 3] * b[s + 3] + v1;
                v0 = t[s] * b[s] + v0;         v1 = t[s + 1] * b[s + 1] + v1;
            }
            for (Py_ssize_t s = full; s < k; s += 2) {
                v0 = t[s] * b[s] + v0;
                if (s + 1 < k)
                    v1 = t[s + 1] * b[s + 1] + v1;
            }
            norm[e] = (v0 + v1) + eps;
        }
    }
}

/* The rows of a CSR matrix from its indptr buffer (int64) and stored entries, or -1 when
 * they do not agree. */
static Py_ssize_t csr_rows(const Py_buffer *indptr, Py_ssize_t nnz)
{
    Py_ssize_t rows = indptr->len / (Py_ssize_t)sizeof(int64_t) - 1;
    const int64_t *ip = (const int64_t *)indptr->buf;
    if (rows < 0 || (rows > 0 && (ip[0] != 0 || ip[rows] != nnz)))
        return -1;
    return rows;
}

/* Release a call's buffers; None, or the error naming `function` when its arrays did not
 * match in size. */
static PyObject *finish(Py_buffer *buffers, int count, int ok, const char *function)
{
    for (int i = 0; i < count; i++)
        PyBuffer_Release(&buffers[i]);
    if (!ok)
        return PyErr_Format(PyExc_ValueError, "%s: array sizes do not match", function);
    Py_RETURN_NONE;
}

/* entry_norms(indptr int64[rows+1], theta float64[rows*k], beta_nz float64[nnz*k],
 *             live bool[rows], norm float64[nnz] (written), k, eps) */
static PyObject *entry_norms(PyObject *self, PyObject *args)
{
    Py_buffer b[5];   /* indptr, theta, beta_nz, live, norm */
    Py_ssize_t k;
    double eps;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*nd", &b[0], &b[1], &b[2], &b[3], &b[4], &k, &eps))
        return NULL;
    Py_ssize_t nnz = b[4].len / (Py_ssize_t)sizeof(double);
    Py_ssize_t rows = csr_rows(&b[0], nnz);
    int ok = k > 0 && rows >= 0 && b[3].len == rows
             && b[1].len == rows * k * (Py_ssize_t)sizeof(double)
             && b[2].len == nnz * k * (Py_ssize_t)sizeof(double);
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        norms((const int64_t *)b[0].buf, rows, (const double *)b[1].buf,
              (const double *)b[2].buf, (const uint8_t *)b[3].buf, (double *)b[4].buf, k,
              eps);
        Py_END_ALLOW_THREADS
    }
    return finish(b, 5, ok, "entry_norms");
}

static void ratios(const int64_t *indptr, Py_ssize_t rows, const double *data,
                   const double *norm, const double *beta, const uint8_t *live,
                   double *restrict out, Py_ssize_t k)
{
    for (Py_ssize_t r = 0; r < rows; r++) {
        double *restrict y = out + r * k;
        for (Py_ssize_t s = 0; s < k; s++)
            y[s] = 0.0;
        if (!live[r])
            continue;
        for (int64_t e = indptr[r]; e < indptr[r + 1]; e++) {
            const double a = data[e] / norm[e];
            const double *restrict b = beta + e * k;
            Py_ssize_t s = 0;
            for (; s + 2 <= k; s += 2) {
                y[s] += a * b[s];
                y[s + 1] += a * b[s + 1];
            }
            if (s < k)
                y[s] += a * b[s];
        }
    }
}

/* ratio_products(indptr int64[rows+1], data float64[nnz], norm float64[nnz],
 *                beta_nz float64[nnz*k], live bool[rows], out float64[rows*k] (written), k) */
static PyObject *ratio_products(PyObject *self, PyObject *args)
{
    Py_buffer b[6];   /* indptr, data, norm, beta_nz, live, out */
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*w*n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
                          &k))
        return NULL;
    Py_ssize_t nnz = b[1].len / (Py_ssize_t)sizeof(double);
    Py_ssize_t rows = csr_rows(&b[0], nnz);
    int ok = k > 0 && rows >= 0 && b[4].len == rows && b[2].len == b[1].len
             && b[5].len == rows * k * (Py_ssize_t)sizeof(double)
             && b[3].len == nnz * k * (Py_ssize_t)sizeof(double);
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        ratios((const int64_t *)b[0].buf, rows, (const double *)b[1].buf,
               (const double *)b[2].buf, (const double *)b[3].buf, (const uint8_t *)b[4].buf,
               (double *)b[5].buf, k);
        Py_END_ALLOW_THREADS
    }
    return finish(b, 6, ok, "ratio_products");
}

static PyMethodDef methods[] = {
    {"entry_norms", entry_norms, METH_VARARGS, "The E-step's per-entry normaliser."},
    {"ratio_products", ratio_products, METH_VARARGS,
     "The E-step's ratios times the topics' word weights, per row."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_estep", NULL, -1, methods};

PyMODINIT_FUNC PyInit__estep(void) { return PyModule_Create(&module); }
