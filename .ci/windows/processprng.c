/* Wine 8 lacks bcryptprimitives.dll!ProcessPrng, which Rust's std (1.78+) imports on
 * Windows for its randomness. This DLL, placed beside the test executables under the name
 * bcryptprimitives.dll, supplies it over advapi32's RtlGenRandom (SystemFunction036).
 * Used only by .ci/windows.sh to run the Windows builds under Wine; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
