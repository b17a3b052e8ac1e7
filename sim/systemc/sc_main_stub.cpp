/* sc_main_stub.cpp — libsystemc calls sc_main from its own main(); erg has its own main() (the
 * CLI), which the linker takes first, but libsystemc still needs the symbol. Never called. */
extern "C" int sc_main(int, char **) {
    return 0;
}
