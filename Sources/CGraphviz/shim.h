#ifndef STRATA_CGRAPHVIZ_SHIM_H
#define STRATA_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
#endif
