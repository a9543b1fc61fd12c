/* The E-step's per-entry normaliser of pipeline/model/lda.py (see estep_norms.py):
 *
 *   norm[e] = sum_k theta[r, k] * beta_nz[e, k] + eps   for every entry e of a live row r,
 *
 * summed in the order numpy's einsum("ij,ij->i") sums on its SSE2 baseline (two lanes: the
 * even and odd k of each block of 8 from its end, then the tail pairs, then lane 0 + lane 1),
 * so the result has the same bits as einsum over np.repeat(theta) without that copy.
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

/* entry_norms(indptr int64[rows+1], theta float64[rows*k], beta_nz float64[nnz*k],
 *             live bool[rows], norm float64[nnz] (written), k, eps) */
static PyObject *entry_norms(PyObject *self, PyObject *args)
{
    Py_buffer indptr, theta, beta, live, norm;
    Py_ssize_t k;
    double eps;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*nd", &indptr, &theta, &beta, &live, &norm, &k,
                          &eps))
        return NULL;
    Py_ssize_t rows = indptr.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t nnz = norm.len / (Py_ssize_t)sizeof(double);
    const int64_t *ip = (const int64_t *)indptr.buf;
    int ok = k > 0 && rows >= 0 && live.len == rows
             && theta.len == rows * k * (Py_ssize_t)sizeof(double)
             && beta.len == nnz * k * (Py_ssize_t)sizeof(double)
             && (rows == 0 || (ip[0] == 0 && ip[rows] == nnz));
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        norms(ip, rows, (const double *)theta.buf, (const double *)beta.buf,
              (const uint8_t *)live.buf, (double *)norm.buf, k, eps);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&indptr); PyBuffer_Release(&theta); PyBuffer_Release(&beta);
    PyBuffer_Release(&live); PyBuffer_Release(&norm);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "entry_norms: array sizes do not match");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"entry_norms", entry_norms, METH_VARARGS, "The E-step's per-entry normaliser."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_estep", NULL, -1, methods};

PyMODINIT_FUNC PyInit__estep(void) { return PyModule_Create(&module); }
