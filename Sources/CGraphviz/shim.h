#ifndef STRATA_CGRAPHVIZ_SHIM_H
#define STRATA_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

/* Swift 6 cannot read mutable C globals or function-like macros: these wrap them. */

/** The descriptor of a directed, non-strict graph (`Agdirected`). */
static inline Agdesc_t strata_agdirected(void) { return Agdirected; }

/** Centre of a node after layout, in points, y up (`ND_coord`). */
static inline pointf strata_nd_coord(Agnode_t *n) { return ND_coord(n); }

/** Bounding box of a graph or cluster after layout, points, y up (`GD_bb`). */
static inline boxf strata_gd_bb(Agraph_t *g) { return GD_bb(g); }

/** Number of Bezier pieces of an edge's spline (`ED_spl`), 0 when it has none. */
static inline int strata_ed_spl_count(Agedge_t *e) {
    splines *s = ED_spl(e);
    return s ? s->size : 0;
}

/** One Bezier piece of an edge's spline; `i` below `strata_ed_spl_count(e)`. */
static inline bezier strata_ed_spl_bezier(Agedge_t *e, int i) { return ED_spl(e)->list[i]; }

#endif
