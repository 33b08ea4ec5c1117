// unit_main.cpp: the doctest runner for sockctl_unit. Test cases live beside
// their modules (src/*_test.cpp) and are named "<module>: <behaviour>".
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
