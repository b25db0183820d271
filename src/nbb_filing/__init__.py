"""nbb-filing: annual-accounts filings for the NBB Central Balance Sheet Office.

Data flows one way: ledger -> mapping -> rubric figures -> taxonomy catalog -> instance ->
validation -> rendering.  Every piece of taxonomy knowledge (datapoints, rubric codes, labels,
types, enumerations, assertions) is read from an installed NBB taxonomy package.
"""

__version__ = "0.1.0"
