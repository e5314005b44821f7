/* A stand-in for Windows' bcryptprimitives.dll, for running hyoka's
 * Windows build under Debian's Wine 8, which lacks the DLL. Rust's standard
 * library (1.78 on) takes its random numbers from ProcessPrng there; this
 * gives them from RtlGenRandom (advapi32's SystemFunction036), which Wine
 * has. Real Windows 10 and 11 have the DLL: this file is never shipped.
 *
 *   x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
