package dev.poolshift.local.template;

/** An {@code AWS::SQS::Queue} (declared, or the dead-letter queue SAM creates for an event). */
public record QueueDef(String logicalId, String name, String url, String arn, boolean fifo) {}
