package dev.poolshift.local.template;

/** An {@code AWS::SNS::Topic}. */
public record TopicDef(String logicalId, String name, String arn, boolean fifo) {}
