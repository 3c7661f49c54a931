// libxml2's HTML parser and tree, for saved web pages (RSearchDocuments' HTMLDocument).
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding header then includes
// ICU's, whose types clash with the ICU that Foundation carries. rsearch
// hands libxml2 UTF-8 only and uses none of those declarations.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

// xmlFree is a global function pointer, which Swift 6 will not read unguarded.
static inline void rsearch_xml_free(void *pointer) { xmlFree(pointer); }
