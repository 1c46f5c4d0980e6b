"""The LRS mirror face: LearnerService.svc, LearnerServiceR9.svc and ExternalService.svc
answering exactly as the live service does on the wire (../shared/spec/lrs-wire.md).

Built with lxml rather than Spyne's object model: the live shapes (bare messages with
unqualified children, WCF data contracts in alphabetical order with i:nil, Java-style
faults) are not what Spyne writes, and exactness is this face's whole point.
"""
