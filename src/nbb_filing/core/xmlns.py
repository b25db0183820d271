"""The XML namespaces of an XBRL 2.1 instance (W3C and XBRL International, not NBB ones).

The NBB namespaces (metrics, dimensions, domains, enumerations) are read from the package; these
are the fixed ones every instance uses, kept in one place for the writer, the reader and the checks.
"""

XBRLI = "http://www.xbrl.org/2003/instance"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
XBRLDI = "http://xbrl.org/2006/xbrldi"
ISO4217 = "http://www.xbrl.org/2003/iso4217"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: Clark notation of ``xml:lang``.
XML_LANG = f"{{{XML_NS}}}lang"
